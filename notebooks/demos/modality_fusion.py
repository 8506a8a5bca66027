# %% [markdown]
# A task that needs both modalities: each example pairs an image with the caption of a
# *different* scene, and the label is "the size seen in the image x the shape named in the
# caption" (8 classes). One modality alone gets at most half of them right. The image enters
# as 7 tokens (bands of 4 pixel rows), the caption as 6 one-hot tokens with a padding mask.
# Each of your four fusion layers gets a linear classifier on top and a few hundred steps.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.checks import compiled
from mmgen.plots import curves

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)


def fusion_task(n, seed):
    """Image tokens (n, 7, 112), caption one-hots (n, 6, vocab), caption mask, labels, and the raw data."""
    images, captions = toy_data.make_batch(n, seed), toy_data.make_batch(n, seed + 100)
    labels = np.array([toy_data.SIZES.index(p.size) * 4 + toy_data.SHAPES.index(q.shape)
                       for p, q in zip(images.scenes, captions.scenes)], np.int32)
    one_hot = np.eye(toy_data.VOCAB_SIZE, dtype=np.float32)[captions.captions]
    return (images.images.reshape(n, 7, 4 * 28), one_hot, captions.captions != toy_data.PAD, labels,
            images, captions)


train_x, train_c, train_m, train_y, _, _ = fusion_task(2048, 0)
test_x, test_c, test_m, test_y, test_images, test_captions = fusion_task(256, 7)


def flat(layer, x, c, m):  # concat and gate fuse one vector per modality: pixels, bag of words
    return layer([tf.reshape(x, (-1, 7 * 4 * 28)), tf.reduce_sum(c, axis=1)])


def first(output):  # gated and attention layers also return their gate / weights
    return output[0] if isinstance(output, (tuple, list)) else output


fusers = {
    "concat": (ConcatFusion(32), lambda layer, x, c, m: flat(layer, x, c, m)),
    "gated": (GatedFusion(32), lambda layer, x, c, m: first(flat(layer, x, c, m))),
    "cross-attention": (CrossAttentionFusion(32),
                        lambda layer, x, c, m: tf.reduce_mean(first(layer([x, c], context_mask=m)), axis=1)),
    "self-attention": (SelfAttentionFusion(32), lambda layer, x, c, m: tf.reshape(
        first(layer([x, c], b_mask=m)), (-1, 13 * 32))),
}
history, accuracy = {}, {}
for name, (layer, pool) in fusers.items():
    head = keras.layers.Dense(8)
    optimizer = keras.optimizers.Adam(1e-2)

    def step(x, c, m, y, layer=layer, pool=pool, head=head, optimizer=optimizer):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, head(pool(layer, x, c, m))))
        variables = layer.trainable_variables + head.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    head(pool(layer, tf.constant(train_x[:2]), tf.constant(train_c[:2]), tf.constant(train_m[:2])))  # build
    optimizer.build(layer.trainable_variables + head.trainable_variables)
    train, losses = compiled(step), []
    for _ in range(demo_steps(120)):
        idx = rng.choice(len(train_y), 64, replace=False)
        losses.append(float(train(tf.constant(train_x[idx]), tf.constant(train_c[idx]), tf.constant(train_m[idx]),
                                  tf.constant(train_y[idx]))))
    logits = head(pool(layer, tf.constant(test_x), tf.constant(test_c), tf.constant(test_m)))
    accuracy[name] = float(np.mean(np.argmax(np.asarray(logits), axis=1) == test_y))
    history[f"{name} (held-out accuracy {accuracy[name]:.2f})"] = np.convolve(losses, np.ones(10) / 10, "valid").tolist()
curves(history, title="training loss of each fusion layer + linear head (10-step average)")

# %% [markdown]
# Cross-attention: each image band (rows of the heat map) chooses which caption tokens
# (columns) to read. Padded caption positions (`<pad>`) must get exactly zero weight; the
# shape word is what the label needs from the caption.

# %%
cross = fusers["cross-attention"][0]
padded, small = ~test_m.all(axis=1), np.array([s.size == "small" for s in test_images.scenes])
picked = [int(np.flatnonzero((padded == p) & (small == q))[0]) for p in (True, False) for q in (True, False)]
_, weights = cross([tf.constant(test_x[picked]), tf.constant(test_c[picked])], context_mask=tf.constant(test_m[picked]))
weights, masks = np.asarray(weights), test_m[picked]
fig, axes = plt.subplots(2, 4, figsize=(13, 5.5), gridspec_kw={"height_ratios": [1, 1.2]})
for i, index in enumerate(picked):
    axes[0, i].imshow(test_images.images[index, ..., 0], cmap="gray", vmin=0, vmax=1)
    axes[0, i].set_title(f"image ({test_images.scenes[index].size})", fontsize=9)
    axes[0, i].axis("off")
    shown = axes[1, i].imshow(weights[i], cmap="viridis", vmin=0, vmax=1)
    axes[1, i].set_xticks(range(toy_data.MAX_LEN), [toy_data.VOCAB[t] for t in test_captions.captions[index]],
                          rotation=60, fontsize=8)
    axes[1, i].set_yticks(range(7), [f"rows {4 * r}-{4 * r + 3}" for r in range(7)] if i == 0 else [], fontsize=7)
fig.colorbar(shown, ax=axes[1].tolist(), shrink=0.8, label="attention weight")
fig.suptitle("cross-attention weights: image bands (rows) query caption tokens (columns); padding gets 0")
plt.show()
print("largest weight on a padded caption token:", float(weights[~np.broadcast_to(masks[:, None, :], weights.shape)].max()))

# %% [markdown]
# The learned gate: for each held-out example (rows) and fused feature (columns), how much
# comes from the image (1) rather than the caption (0). The gate is computed per example,
# so the mix can change with the input.

# %%
gated = fusers["gated"][0]
_, gate = gated([tf.reshape(tf.constant(test_x), (-1, 7 * 4 * 28)), tf.reduce_sum(tf.constant(test_c), axis=1)])
gate = np.asarray(gate)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5), gridspec_kw={"width_ratios": [2, 1]})
shown = left.imshow(gate[:32], cmap="coolwarm", vmin=0, vmax=1, aspect="auto")
left.set_xlabel("fused feature")
left.set_ylabel("held-out example")
fig.colorbar(shown, ax=left, label="gate z (1 = image, 0 = caption)")
right.hist(gate.ravel(), bins=40, range=(0, 1))
right.set_xlabel("gate value")
right.set_title(f"all {gate.size} gate values, mean {gate.mean():.2f}")
fig.tight_layout()
plt.show()

# %% [markdown]
# Self-attention over the joint sequence (7 image bands, then 6 caption tokens) for one
# example: the four blocks are image->image, image->caption, caption->image and
# caption->caption attention. Columns of padded caption tokens are zero.

# %%
joint = fusers["self-attention"][0]
example = int(np.flatnonzero(~test_m.all(axis=1))[0])  # an example whose caption is padded
_, weights = joint([tf.constant(test_x[example:example + 1]), tf.constant(test_c[example:example + 1])],
                   b_mask=tf.constant(test_m[example:example + 1]))
labels = [f"band {r}" for r in range(7)] + [toy_data.VOCAB[t] for t in test_captions.captions[example]]
fig, ax = plt.subplots(figsize=(6, 5))
shown = ax.imshow(np.asarray(weights)[0], cmap="viridis", vmin=0)
ax.set_xticks(range(13), labels, rotation=60, fontsize=8)
ax.set_yticks(range(13), labels, fontsize=8)
ax.axhline(6.5, color="white"), ax.axvline(6.5, color="white")
ax.set_xlabel("attended token (key)")
ax.set_ylabel("token (query)")
fig.colorbar(shown, ax=ax)
ax.set_title("self-attention weights over image bands + caption tokens")
fig.tight_layout()
plt.show()
