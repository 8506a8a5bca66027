"""Text-to-audio: say the words of a caption as toy tones.

An LSTM encoder reads the caption's words, one slot per word, and an LSTM frame
decoder writes the audio one 256-sample frame per slot, conditioned on the word
features and on the previous frame. Training uses a waveform L1 loss plus a
log-magnitude STFT loss; the script then synthesises the held-out clips frame by
frame and reports their error.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Input, Embedding, LSTM, Dense, Concatenate
from tensorflow.keras.optimizers import Adam
from mmgen.toy_data import make_batch, word_ids, VOCAB_SIZE, MAX_WORDS, TONE_SAMPLES

UNITS = 128
BATCH = 32
STEPS = 10


def build_text_encoder():
    words_in = Input(shape=(MAX_WORDS,), dtype="int32")
    x = Embedding(VOCAB_SIZE, 32)(words_in)
    x = LSTM(UNITS, return_sequences=True)(x)
    return Model(words_in, x)


def build_text_to_audio(text_encoder):
    words_in = Input(shape=(MAX_WORDS,), dtype="int32")
    prev_in = Input(shape=(MAX_WORDS, TONE_SAMPLES))
    x = Concatenate()([prev_in, text_encoder(words_in)])
    x = LSTM(UNITS, return_sequences=True)(x)
    frames = Dense(TONE_SAMPLES, activation="tanh")(x)
    return Model([words_in, prev_in], frames)


def spectral_loss(target, pred):
    s_target = tf.abs(tf.signal.stft(target, frame_length=128, frame_step=32))
    s_pred = tf.abs(tf.signal.stft(pred, frame_length=128, frame_step=32))
    return tf.reduce_mean(tf.abs(tf.math.log(s_target + 1e-5) - tf.math.log(s_pred + 1e-5)))


def to_frames(audio):
    return audio.reshape(-1, MAX_WORDS, TONE_SAMPLES)


train = make_batch(512, seed=0)
test = make_batch(64, seed=1)
peak = np.abs(train.audio).max()
train_audio, test_audio = train.audio / peak, test.audio / peak
train_words = word_ids(train.captions)
test_words = word_ids(test.captions)
train_frames = to_frames(train_audio)

text_encoder = build_text_encoder()
tts = build_text_to_audio(text_encoder)
optimizer = Adam(1e-3)
rng = np.random.default_rng(0)

for step in range(STEPS):
    idx = rng.integers(0, len(train_words), BATCH)
    words, target = train_words[idx], train_frames[idx]
    prev = np.concatenate([np.zeros_like(target[:, :1]), target[:, :-1]], axis=1)
    with tf.GradientTape() as tape:
        pred = tts([words, prev], training=True)
        flat_target, flat_pred = tf.reshape(target, (BATCH, -1)), tf.reshape(pred, (BATCH, -1))
        loss = tf.reduce_mean(tf.abs(flat_pred - flat_target)) + spectral_loss(flat_target, flat_pred)
    grads = tape.gradient(loss, tts.trainable_variables)
    optimizer.apply_gradients(zip(grads, tts.trainable_variables))
    print(f"step {step}  loss {float(loss):.3f}")

eval_words, eval_audio = test_words, test_audio
prev = np.zeros((len(eval_words), MAX_WORDS, TONE_SAMPLES), dtype=np.float32)
for i in range(MAX_WORDS - 1):
    out = tts([eval_words, prev], training=False).numpy()
    prev[:, i + 1] = out[:, i]
speech = tts([eval_words, prev], training=False).numpy().reshape(len(eval_words), -1)
l1 = np.mean(np.abs(speech - eval_audio))
print(f"held-out L1 {l1:.4f}  spectral {float(spectral_loss(eval_audio, speech)):.4f}")
