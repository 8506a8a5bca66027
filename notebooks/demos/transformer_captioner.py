# %% [markdown]
# The image as a sequence: your `patch_tokens` cuts a scene into 49 squares of 4 x 4 pixels,
# and `causal_mask` decides which caption positions may look at which.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.plots import curves, image_grid

keras.utils.set_random_seed(0)
scenes = toy_data.all_scenes()
images = tf.constant(np.stack([toy_data.render(s) for s in scenes]))
captions = tf.constant(np.stack([toy_data.encode(s.words) for s in scenes]))
tokens = np.asarray(patch_tokens(images[:1]))[0]
image_grid(tokens.reshape(49, 4, 4, 1)[:14], titles=[f"token {i}" for i in range(14)], columns=7,
           title="the first two rows of patch tokens of one scene")
fig, ax = plt.subplots(figsize=(3, 3))
ax.imshow(causal_mask(toy_data.MAX_LEN - 1), cmap="gray")
ax.set_xlabel("key position j")
ax.set_ylabel("query position i")
ax.set_title("causal_mask: white = may attend")
plt.show()

# %% [markdown]
# Train your captioner with your teacher-forced `train_step` on the 64 scenes, then caption
# them with your `greedy_decode`. Every position is trained in parallel, thanks to the mask.

# %%
captioner, optimizer = build_captioner(toy_data.VOCAB_SIZE), keras.optimizers.Adam(3e-3)
losses, accuracies = [], []
for _ in range(demo_steps(150)):
    losses.append(float(train_step(captioner, optimizer, images, captions)))
    accuracies.append(token_accuracy(captions[:, 1:], captioner([images, captions[:, :-1]], training=False)))
curves({"teacher-forced loss": losses, "token accuracy": accuracies}, title="training on the 64 toy scenes")
decoded = greedy_decode(captioner, images)
exact = np.mean([toy_data.decode(row) == list(s.words) for row, s in zip(decoded, scenes)])
print(f"greedy captions that match word for word: {exact:.0%} of 64")
picked = [0, 13, 26, 39, 52, 63]
image_grid(np.asarray(images)[picked], titles=[" ".join(toy_data.decode(decoded[i])) for i in picked], columns=6,
           title="greedy captions")
