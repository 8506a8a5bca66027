# %% [markdown]
# Train your captioner with your teacher-forced `train_step` on jittered toy scenes, then let it
# describe images it has never seen (a fresh seed: same 64 scenes, new pixel jitter). Greedy
# decoding picks the single most likely next word each time; beam search keeps a few partial
# captions alive and returns the one with the highest total log-probability.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.checks import compiled
from mmgen.plots import curves, image_grid

keras.utils.set_random_seed(0)
captioner = build_captioner(toy_data.VOCAB_SIZE)
optimizer = keras.optimizers.Adam(1e-2)
data = toy_data.make_batch(2048, seed=1)
rng = np.random.default_rng(0)
step, losses = compiled(train_step), []
for number in range(demo_steps(200)):
    if number == 10:  # keep a half-trained copy for the beam-search comparison below
        early = keras.models.clone_model(captioner)
        early.set_weights(captioner.get_weights())
    idx = rng.choice(len(data.images), 64, replace=False)
    losses.append(float(step(captioner, optimizer, tf.constant(data.images[idx]), tf.constant(data.captions[idx]))))
curves({"masked cross-entropy": losses}, title="teacher-forced loss per batch of 64 captions")

# %% [markdown]
# Held-out images titled with the caption your `greedy_decode` writes for them; ✗ marks a
# caption that differs from the truth.

# %%
held_out = toy_data.make_batch(256, seed=99)
said = np.asarray(greedy_decode(captioner, tf.constant(held_out.images)))
truth = held_out.captions[:, 1:]
right = (said == truth).all(axis=1)
print(f"held-out captions exactly right: {right.sum()}/{len(right)}")
image_grid(held_out.images[:16], [" ".join(toy_data.decode(s)) + ("" if ok else " ✗") for s, ok in zip(said[:16], right[:16])],
           title="held-out images and their greedy captions")


# %% [markdown]
# Greedy against beam search. After training both usually agree, so this compares them on the
# copy saved after 10 steps, when the model is still unsure: each title gives both captions
# with their total log-probability under that model. Beam search never scores lower than
# greedy on its own ranking, though a higher score is not always the true caption.

# %%
def log_probability(model, images, generated):
    """Sum of token log-probabilities of <start> + generated (up to and including <end>)."""
    tokens = np.concatenate([np.full((len(generated), 1), toy_data.START, np.int32), generated], axis=1)
    logits = np.asarray(model([tf.constant(images), tf.constant(tokens[:, :-1])], training=False), np.float64)
    log_probs = logits - logits.max(-1, keepdims=True)
    log_probs -= np.log(np.exp(log_probs).sum(-1, keepdims=True))
    picked = np.take_along_axis(log_probs, tokens[:, 1:, None], axis=-1)[..., 0]
    ended = np.cumsum(tokens[:, 1:] == toy_data.END, axis=1)
    counted = (ended == 0) | ((ended == 1) & (tokens[:, 1:] == toy_data.END))  # words up to the first <end>
    return (picked * counted).sum(axis=1)


images = held_out.images[:20]
greedy = np.asarray(greedy_decode(early, tf.constant(images)))
try:
    beam = np.asarray(beam_search(early, tf.constant(images), beam_width=3))
except NotImplementedError:
    print("beam_search is not implemented yet (it is the bonus); fill it in to see this comparison.")
else:
    differ = np.flatnonzero((greedy != beam).any(axis=1))
    shown = np.concatenate([differ, np.flatnonzero((greedy == beam).all(axis=1))])[:4]
    print(f"greedy and beam (width 3) disagree on {len(differ)} of {len(images)} images for the 10-step model")
    g_score, b_score = log_probability(early, images[shown], greedy[shown]), log_probability(early, images[shown], beam[shown])
    fig, axes = plt.subplots(1, len(shown), figsize=(3.2 * len(shown), 3.6), squeeze=False, layout="constrained")
    for ax, index, gs, bs in zip(axes[0], shown, g_score, b_score):
        ax.imshow(images[index, ..., 0], cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
        ax.set_title(f"greedy: {' '.join(toy_data.decode(greedy[index]))} ({gs:.2f})\n"
                     f"beam: {' '.join(toy_data.decode(beam[index]))} ({bs:.2f})\n"
                     f"truth: {' '.join(toy_data.decode(held_out.captions[index, 1:]))}", fontsize=8)
    fig.suptitle("greedy vs beam search (total log-probability) on the model after 10 steps")
    plt.show()
