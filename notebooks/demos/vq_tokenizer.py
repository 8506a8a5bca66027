# %% [markdown]
# Train your VQ-VAE on the toy scenes with your `train_step`: every image becomes a 7 x 7 grid
# of tokens (indices into a codebook of NUM_CODES codes), and the decoder draws the image back
# from the codes alone. Watch the losses and how many codes stay in use: a codebook whose usage
# collapses to a few codes reconstructs poorly (see the model answer on dead codes).

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.plots import curves, image_grid

keras.utils.set_random_seed(0)
encoder, decoder = build_encoder(), build_decoder()
data = toy_data.make_batch(1024, seed=0).images
start = np.asarray(encoder(tf.constant(data[:256]))).reshape(-1, CODE_DIM)
codebook = tf.Variable(start[np.random.default_rng(0).choice(len(start), NUM_CODES, replace=False)])  # k-means style start
optimizer, rng, history = keras.optimizers.Adam(2e-3), np.random.default_rng(0), []
for _ in range(demo_steps(250)):
    history.append(train_step(encoder, decoder, codebook, optimizer, tf.constant(data[rng.integers(0, 1024, 32)])))
curves({key: [h[key] for h in history] for key in ("reconstruction", "codebook", "commitment")}, title="VQ-VAE losses")
test = tf.constant(toy_data.make_batch(8, seed=9).images)
z = encoder(test)
quantized, tokens = quantize(z, codebook)
usage, perplexity = codebook_usage(quantize(encoder(tf.constant(data[:512])), codebook)[1], NUM_CODES)
print(f"codes in use: {usage:.0%} of {NUM_CODES}; perplexity {perplexity:.1f}")
image_grid(np.concatenate([test, np.asarray(decoder(quantized))]), title="scenes (top) and their reconstruction from 49 tokens each (bottom)")
print("the tokens of the first scene:\n", np.asarray(tokens[0]))

# %% [markdown]
# Residual VQ on the toy word tones: fit 4 stages of 16 codes to one-word frames, then decode
# held-out frames from 1, 2, 3 and 4 tokens each. Each stage quantizes what the previous ones
# left, so the error falls with every stage, the way an audio codec buys quality with bitrate.

# %%
words = toy_data.VOCAB[3:]
audio_rng = np.random.default_rng(1)
frames = np.array([toy_data.render_audio((w,), audio_rng)[: toy_data.TONE_SAMPLES] for w in words for _ in range(16)])
held_out = np.array([toy_data.render_audio((w,), audio_rng)[: toy_data.TONE_SAMPLES] for w in words for _ in range(4)])
codebooks = fit_residual_codebooks(frames, 4, 16)
errors, decoded = [], []
for stages in range(1, 5):
    quantized, _ = residual_quantize(tf.constant(held_out, tf.float32), codebooks[:stages])
    decoded.append(np.asarray(quantized))
    errors.append(float(np.mean((decoded[-1] - held_out) ** 2)))
curves({"held-out mean squared error": errors}, xlabel="stages used (1 to 4)", title="residual VQ: more stages, less error")
fig, axes = plt.subplots(1, 3, figsize=(10, 2.5))
for ax, (label, wave) in zip(axes, [("held-out frame", held_out[0]), ("1 stage", decoded[0][0]), ("4 stages", decoded[3][0])]):
    ax.plot(wave[:80])
    ax.set_title(f"{label} ({words[0]})")
fig.tight_layout()
plt.show()
