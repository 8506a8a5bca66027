# %% [markdown]
# Train your multi-task model with your `train_step` and learned uncertainty weights. The two
# losses live on different scales (a mean squared error of pixel averages, a cross-entropy
# in nats). Minimising exp(-s) L + s over s gives s = log L, so each learned weight exp(-s_i)
# heads for 1 / L_i: a loss above 1 first loses weight, a loss below 1 gains it. Adam moves
# each s_i by about the learning rate per step, so a short run only shows the start of that
# chase (dashed: 1 / L_i, smoothed).

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.checks import compiled
from mmgen.plots import image_grid

keras.utils.set_random_seed(0)
data = toy_data.make_batch(2048, seed=1)
model, weighting = MultiTaskModel(toy_data.VOCAB_SIZE), UncertaintyWeighting(2)
model.image_features_from_text(tf.constant(data.captions[:2]))  # create the variables before compiling the step
model.caption_logits_from_image(tf.constant(data.images[:2]))
optimizer = keras.optimizers.Adam(3e-3)
rng = np.random.default_rng(0)
step = compiled(train_step)
history = {"feature_loss": [], "caption_loss": [], "weights": []}
STEPS = demo_steps(300)
for _ in range(STEPS):
    idx = rng.choice(len(data.images), 64, replace=False)
    out = step(model, weighting, optimizer, tf.constant(data.images[idx]), tf.constant(data.captions[idx]))
    history["feature_loss"].append(float(out["feature_loss"]))
    history["caption_loss"].append(float(out["caption_loss"]))
    history["weights"].append(np.exp(-np.asarray(weighting.log_vars)))

weights = np.array(history["weights"])
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
left.semilogy(history["feature_loss"], label="text -> image features (MSE)")
left.semilogy(history["caption_loss"], label="image -> caption (cross-entropy)")
left.set_xlabel("step")
left.set_title("the two task losses (log scale)")
left.legend()
smooth = {name: np.convolve(history[name], np.ones(10) / 10, "valid") for name in ("feature_loss", "caption_loss")}
right.semilogy(weights[:, 0], color="C0", label="exp(-s_1), feature task")
right.semilogy(weights[:, 1], color="C1", label="exp(-s_2), caption task")
right.semilogy(np.arange(9, STEPS), 1 / smooth["feature_loss"], "--", color="C0", label="1 / feature loss")
right.semilogy(np.arange(9, STEPS), 1 / smooth["caption_loss"], "--", color="C1", label="1 / caption loss")
right.set_xlabel("step")
right.set_title("learned loss weights and where they are heading")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()
print("final weights exp(-s):", np.round(weights[-1], 2),
      " 1 / (final losses, smoothed):", np.round([1 / smooth["feature_loss"][-1], 1 / smooth["caption_loss"][-1]], 1))

# %% [markdown]
# Text -> image on unseen pairs: the true image, the 7x7 features the feature task regresses,
# and the features your model predicts from the caption alone (each shown at 28x28).

# %%
held_out = toy_data.make_batch(8, seed=99)
names = [" ".join(s.words) for s in held_out.scenes]
targets = np.asarray(image_targets(tf.constant(held_out.images))).reshape(-1, 7, 7, 1)
predicted = np.asarray(model.image_features_from_text(tf.constant(held_out.captions))).reshape(-1, 7, 7, 1)


def upscale(features):
    """(n, 7, 7, 1) block features as (n, 28, 28, 1) images."""
    return np.clip(features.repeat(4, axis=1).repeat(4, axis=2), 0, 1)


image_grid(held_out.images, names, title="held-out images and their captions")
image_grid(upscale(targets), ["target features"] * 8, title="what the feature task regresses (4x4 block means)")
image_grid(upscale(predicted), ["predicted from caption"] * 8, title="features predicted from each caption above")

# %% [markdown]
# Image -> text on the same unseen images: each title is the caption decoded (argmax at every
# position) from your model's logits; a ✗ marks one that differs from the true caption.

# %%
logits = np.asarray(model.caption_logits_from_image(tf.constant(held_out.images)))
decoded = [" ".join(toy_data.decode(ids)) for ids in logits.argmax(axis=-1)]
image_grid(held_out.images, [d + ("" if d == n else " ✗") for d, n in zip(decoded, names)],
           title="held-out images titled with their predicted captions")
