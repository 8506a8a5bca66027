"""Functional captioner: the image vector is concatenated to the word embedding at every
step of a two-layer LSTM (and also sets the first layer's state). Greedy decoding and a
heap-free, dictionary-based beam search in plain NumPy around the model calls."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from mmgen.toy_data import END, MAX_LEN, PAD, START

HIDDEN = 64
EMBED = 32


def build_image_encoder(dim: int = HIDDEN) -> keras.Model:
    """Images (batch, 28, 28, 1) -> one feature vector per image (batch, dim)."""
    images = keras.Input(shape=(28, 28, 1), name="images")
    x = layers.Conv2D(32, 5, strides=2, padding="same", activation="gelu")(images)
    x = layers.Conv2D(48, 3, strides=2, padding="same", activation="gelu")(x)
    x = layers.Conv2D(48, 3, padding="same", activation="gelu")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="gelu")(x)
    return keras.Model(images, layers.Dense(dim, activation="linear")(x), name="encoder")


def build_captioner(vocab_size: int, hidden: int = HIDDEN) -> keras.Model:
    """[images, tokens (batch, t)] -> next-token logits (batch, t, vocab_size); the decoder must see the image."""
    images = keras.Input(shape=(28, 28, 1), name="images")
    tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
    feature = build_image_encoder(hidden)(images)  # (batch, hidden)
    words = layers.Embedding(vocab_size, EMBED)(tokens)  # (batch, t, EMBED)
    every_step = layers.Lambda(
        lambda pair: ops.concatenate(
            [pair[1], ops.broadcast_to(ops.expand_dims(pair[0], 1), (ops.shape(pair[1])[0], ops.shape(pair[1])[1], hidden))],
            axis=-1,
        ),
        output_shape=(None, EMBED + hidden),
    )([feature, words])
    h0 = layers.Dense(hidden, activation="tanh")(feature)
    c0 = layers.Dense(hidden)(feature)
    x = layers.LSTM(hidden, return_sequences=True)(every_step, initial_state=[h0, c0])
    x = layers.LSTM(hidden, return_sequences=True)(x)
    logits = layers.Dense(vocab_size, name="logits")(x)
    return keras.Model([images, tokens], logits, name="lstm_every_step_captioner")


def teacher_forcing(captions):
    """Decoder inputs (all but the last token) and targets (all but <start>)."""
    captions = ops.convert_to_tensor(captions, dtype="int32")
    return captions[:, :-1], captions[:, 1:]


def masked_loss(targets, logits):
    """Mean sparse cross-entropy over the positions whose target is not PAD."""
    targets = ops.cast(targets, "int32")
    per_token = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    weights = ops.cast(targets != PAD, "float32")
    total = ops.sum(ops.cast(per_token, "float32") * weights)
    count = ops.sum(weights)
    return ops.where(count > 0, total / ops.maximum(count, 1.0), 0.0)


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    images = tf.convert_to_tensor(images, tf.float32)
    inputs, targets = teacher_forcing(captions)
    with tf.GradientTape() as tape:
        logits = captioner([images, inputs], training=True)
        loss = masked_loss(targets, logits)
    gradients = tape.gradient(loss, captioner.trainable_variables)
    optimizer.apply_gradients(list(zip(gradients, captioner.trainable_variables)))
    return loss


def _next_log_probs(captioner, images, prefixes) -> np.ndarray:
    logits = captioner([images, tf.constant(np.asarray(prefixes, np.int32))], training=False)
    return np.asarray(tf.nn.log_softmax(tf.cast(logits[:, -1, :], tf.float64), axis=-1))


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    images = tf.convert_to_tensor(images, tf.float32)
    n = int(images.shape[0])
    prefixes = [[START] for _ in range(n)]
    ended = [False] * n
    result = np.zeros((n, max_len), np.int32)  # zeros are PAD
    for position in range(max_len):
        if all(ended):
            break
        chosen = _next_log_probs(captioner, images, prefixes).argmax(axis=-1)
        for row in range(n):
            token = PAD if ended[row] else int(chosen[row])
            prefixes[row].append(token)
            result[row, position] = token
            ended[row] = ended[row] or token == END
    return result


def beam_search(captioner, images, beam_width: int = 3, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """(Bonus) keep the beam_width best prefixes by summed log-probability; return the best caption per image."""
    images = tf.convert_to_tensor(images, tf.float32)
    n = int(images.shape[0])
    result = np.full((n, max_len), PAD, np.int32)
    for row in range(n):
        beams = {(START,): 0.0}  # prefix -> summed log-probability
        for _ in range(max_len):
            alive = [p for p in beams if p[-1] != END]
            if not alive:
                break
            log_probs = _next_log_probs(captioner, tf.repeat(images[row : row + 1], len(alive), axis=0), alive)
            pool = {p: s for p, s in beams.items() if p[-1] == END}
            for prefix, lp in zip(alive, log_probs):
                for token in np.argpartition(-lp, min(beam_width, lp.size) - 1)[:beam_width]:
                    pool[prefix + (int(token),)] = beams[prefix] + float(lp[token])
            beams = dict(sorted(pool.items(), key=lambda item: item[1], reverse=True)[:beam_width])
        best = max(beams, key=beams.get)[1:]
        result[row, : len(best)] = best
    return result
