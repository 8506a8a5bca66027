# %% [markdown]
# Train your two encoders with your contrastive `train_step` on jittered toy scenes (batches
# of 64 pairs, so each pair has 63 negatives). Then embed the 64 distinct scenes, clean
# images on one side and their captions on the other, and see whether matching pairs found
# each other: the similarity matrix should light up along its diagonal.

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
image_encoder, text_encoder = build_image_encoder(), build_text_encoder(toy_data.VOCAB_SIZE)
optimizer = keras.optimizers.Adam(3e-3)
data = toy_data.make_batch(2048, seed=1)
rng = np.random.default_rng(0)
step, losses = compiled(train_step), []
for _ in range(demo_steps(200)):
    idx = rng.choice(len(data.images), 64, replace=False)
    losses.append(float(step(image_encoder, text_encoder, optimizer, tf.constant(data.images[idx]),
                             tf.constant(data.captions[idx]))))
curves({"contrastive loss": losses, "chance level, log(64)": [float(np.log(64))] * len(losses)},
       title="symmetric InfoNCE loss per batch of 64 pairs")

# %%
scenes = toy_data.all_scenes()
names = [" ".join(s.words) for s in scenes]
scene_images = tf.constant(np.stack([toy_data.render(s) for s in scenes]))
scene_captions = tf.constant(np.stack([toy_data.encode(s.words) for s in scenes]))
similarity = np.asarray(similarity_matrix(image_encoder(scene_images), text_encoder(scene_captions)))
recalls = {k: recall_at_k(similarity, k) for k in (1, 5)}
print(f"image -> caption recall@1 = {recalls[1]:.2f}, recall@5 = {recalls[5]:.2f} (chance: {1 / 64:.3f}, {5 / 64:.3f})")
fig, ax = plt.subplots(figsize=(7, 6))
shown = ax.imshow(similarity, cmap="RdBu_r", vmin=-1, vmax=1)
ax.set_xticks(range(0, 64, 8), names[::8], rotation=60, ha="right", fontsize=7)
ax.set_yticks(range(0, 64, 8), names[::8], fontsize=7)
ax.set_xlabel("caption")
ax.set_ylabel("image")
fig.colorbar(shown, ax=ax, label="cosine similarity")
ax.set_title("image x caption similarity for the 64 toy scenes\n(blocks of 8 = one size and shape, 8 positions)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Retrieval on unseen, jittered images. First, eight images titled with the caption each
# ranks first among the 64 (✗ marks a wrong one); then, for four captions, the three
# images each ranks highest among 256 held-out images.

# %%
held_out = toy_data.make_batch(256, seed=99)
truth = np.array([scenes.index(s) for s in held_out.scenes])
held_similarity = np.asarray(similarity_matrix(image_encoder(tf.constant(held_out.images)),
                                               text_encoder(scene_captions)))  # (256 images, 64 captions)
best = np.argmax(held_similarity, axis=1)
print(f"held-out image -> caption top-1 accuracy among 64 captions: {np.mean(best == truth):.2f}")
image_grid(held_out.images[:8], [names[j] + ("" if j == t else " ✗") for j, t in zip(best[:8], truth[:8])],
           title="held-out images, titled with the caption each retrieves")

queries = [5, 18, 41, 60]
fig, axes = plt.subplots(len(queries), 3, figsize=(5.5, 1.6 * len(queries)))
for row, query in enumerate(queries):
    ranked = np.argsort(-held_similarity[:, query])[:3]  # text -> image: one column of the matrix
    for rank, index in enumerate(ranked):
        ax = axes[row, rank]
        ax.imshow(held_out.images[index, ..., 0], cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_title(f"#{rank + 1}" + ("" if truth[index] == query else f" ✗ ({names[truth[index]]})"), fontsize=7)
    axes[row, 0].set_ylabel(names[query], rotation=0, ha="right", va="center", fontsize=9)
fig.suptitle("caption -> the three images it retrieves")
fig.tight_layout()
plt.show()
