# %% [markdown]
# Teach your model to "say" captions. Every toy caption is heard as up to four 32 ms tones, one
# per word, each word with its own pitch (random loudness and phase in the data). Train on 51 of
# the 64 scenes with your multi-resolution STFT loss, then synthesize the 13 captions it never
# heard: if each word's slot rings at that word's pitch, the model learned words, not sentences.

# %%
import IPython.display
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.checks import compiled
from mmgen.plots import curves, waveform_and_spectrogram

keras.utils.set_random_seed(0)
scenes = toy_data.all_scenes()
held_out = scenes[::5]
data = toy_data.make_batch(512, seed=1, scenes=tuple(s for s in scenes if s not in held_out))
tokens, audio = toy_data.word_ids(data.captions), data.audio
model = build_text_to_audio(toy_data.VOCAB_SIZE)
optimizer = keras.optimizers.Adam(1e-2)
rng = np.random.default_rng(0)
step, losses = compiled(train_step), []
for _ in range(demo_steps(200)):
    idx = rng.integers(0, len(tokens), 32)
    losses.append(float(step(model, optimizer, tf.constant(tokens[idx]), tf.constant(audio[idx]))))
curves({"multi-resolution STFT loss": losses}, title="training loss per batch of 32 clips")

# %% [markdown]
# One held-out caption: the real clip (as the data renders it) above, your model's synthesis
# below. The waveforms differ sample by sample (phase and loudness are random in the data and
# the loss ignores phase), but the spectrograms should show the same pitch in each slot.

# %%
test_tokens = toy_data.word_ids(np.stack([toy_data.encode(s.words) for s in held_out]))
waves = np.asarray(synthesize(model, tf.constant(test_tokens)))
real = np.stack([toy_data.render_audio(s.words, np.random.default_rng(index)) for index, s in enumerate(held_out)])
shown = 9  # 'large square top right'
caption = " ".join(held_out[shown].words)
waveform_and_spectrogram(real[shown], toy_data.SAMPLE_RATE, title=f"real: '{caption}'")
waveform_and_spectrogram(waves[shown], toy_data.SAMPLE_RATE, title=f"synthesized: '{caption}'")
print(f"real '{caption}':")
IPython.display.display(IPython.display.Audio(real[shown], rate=toy_data.SAMPLE_RATE))
print(f"synthesized '{caption}':")
IPython.display.display(IPython.display.Audio(waves[shown], rate=toy_data.SAMPLE_RATE))

# %% [markdown]
# Every held-out word: the pitch its slot peaks at (FFT of the 256 samples) against the word's
# own tone. Dots on the diagonal are words said right; the tones are 93.75 Hz apart and the
# FFT bins 31.25 Hz, so one bin off still counts.

# %%
size = toy_data.TONE_SAMPLES
expected, heard = [], []
for row, sequence in enumerate(test_tokens):
    for slot, token in enumerate(sequence):
        if token != toy_data.PAD:
            segment = waves[row, slot * size : (slot + 1) * size]
            expected.append(toy_data.TONE_HZ[toy_data.VOCAB[token]])
            heard.append(np.abs(np.fft.rfft(segment)).argmax() * toy_data.SAMPLE_RATE / size)
expected, heard = np.array(expected), np.array(heard)
right = np.abs(heard - expected) <= toy_data.SAMPLE_RATE / size + 1e-6
print(f"held-out words at their own pitch: {right.sum()}/{len(right)}")
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.plot([250, 1250], [250, 1250], color="gray", linewidth=0.8)
ax.scatter(expected[right], heard[right], label="right", s=18)
ax.scatter(expected[~right], heard[~right], label="wrong", s=18, color="red")
ax.set_xticks(list(toy_data.TONE_HZ.values()), list(toy_data.TONE_HZ), rotation=70, fontsize=7)
ax.set_xlabel("word (its tone)")
ax.set_ylabel("peak frequency of the synthesized slot (Hz)")
ax.legend()
ax.set_title("held-out captions, word by word")
fig.tight_layout()
plt.show()
print("all 13 held-out captions as your model says them, one after another:")
IPython.display.display(IPython.display.Audio(np.concatenate([np.pad(w, (0, 800)) for w in waves]), rate=toy_data.SAMPLE_RATE))
