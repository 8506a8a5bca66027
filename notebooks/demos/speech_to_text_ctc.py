# %% [markdown]
# Train your recogniser with your CTC `train_step` on toy clips (each says up to four words as
# 32 ms tones), then read back clips it never heard. CTC never sees which frame holds which
# word: it learns the alignment itself, and the per-frame probabilities below show where it
# put each word and where it chose the blank.

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
train = toy_data.make_batch(512, seed=1)
audio, labels = train.audio, toy_data.word_ids(train.captions)
model = build_model(NUM_CLASSES)
optimizer = keras.optimizers.Adam(1e-2)
rng = np.random.default_rng(0)
step, losses = compiled(train_step), []
for _ in range(demo_steps(150)):
    idx = rng.integers(0, len(audio), 32)
    losses.append(float(step(model, optimizer, tf.constant(audio[idx]), tf.constant(labels[idx]))))
curves({"mean CTC loss": losses}, title="CTC loss per batch of 32 clips")

# %% [markdown]
# Held-out clips (another seed), read back with your `transcribe`: the words it heard against
# the truth.

# %%
test = toy_data.make_batch(200, seed=2)
truth = [[int(t) for t in row if t != toy_data.PAD] for row in toy_data.word_ids(test.captions)]
heard = [[int(t) for t in row] for row in transcribe(model, tf.constant(test.audio))]
right = [h == t for h, t in zip(heard, truth)]
print(f"held-out clips read back exactly: {sum(right)}/{len(right)}\n")


def words(ids):
    return " ".join(toy_data.VOCAB[i] if 0 <= i < toy_data.VOCAB_SIZE else f"<{i}>" for i in ids)


for h, t in zip(heard[:10], truth[:10]):
    print(f"{'✓' if h == t else '✗'}  heard: {words(h):<28} truth: {words(t)}")

# %% [markdown]
# Inside two held-out clips: the log-spectrogram features your `spectrogram` computes (one column per
# 64-sample hop; each word is a bright line at its pitch), and the model's softmax over the
# classes for every frame. The white dots mark the per-frame argmax that greedy decoding
# collapses: runs of one word merge, blanks drop out.

# %%
class_names = [toy_data.VOCAB[i] if i < toy_data.VOCAB_SIZE else "blank" for i in range(NUM_CLASSES)]
for index in (0, 1):
    clip = tf.constant(test.audio[index : index + 1])
    features = np.asarray(spectrogram(clip))[0]
    probs = np.asarray(keras.ops.softmax(model(tf.constant(features[None]), training=False), axis=-1))[0]
    fig, (left, right_ax) = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
    shown = left.imshow(features.T, origin="lower", aspect="auto", cmap="magma",
                        extent=(-0.5, len(features) - 0.5, 0, toy_data.SAMPLE_RATE / 2))
    left.set_xlabel("frame")
    left.set_ylabel("Hz")
    left.set_title("log spectrogram features")
    fig.colorbar(shown, ax=left)
    shown = right_ax.imshow(probs.T, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=1)
    right_ax.scatter(np.arange(len(probs)), probs.argmax(-1), color="white", s=10)
    right_ax.set_yticks(range(NUM_CLASSES), class_names, fontsize=7)
    right_ax.set_xlabel("frame")
    right_ax.set_title("per-frame class probabilities (dots: argmax)")
    fig.colorbar(shown, ax=right_ax)
    fig.suptitle(f"truth: {words(truth[index])}   |   heard: {words(heard[index])}")
    plt.show()
