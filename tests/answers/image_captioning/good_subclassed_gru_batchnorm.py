"""Image captioner as a subclassed keras.Model: a BatchNorm/Dropout CNN encoder sets the
initial state of a GRU decoder; greedy decoding with TensorFlow ops; beam search
vectorised over (images x beams) with tf.math.top_k."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from mmgen.toy_data import END, MAX_LEN, PAD, START

HIDDEN = 64
EMBED = 32


def build_image_encoder(dim: int = HIDDEN) -> keras.Model:
    """Images (batch, 28, 28, 1) -> one feature vector per image (batch, dim)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(24, 3, padding="same", use_bias=False),
            layers.BatchNormalization(momentum=0.8),
            layers.ReLU(),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, padding="same", use_bias=False),
            layers.BatchNormalization(momentum=0.8),
            layers.ReLU(),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.1),
            layers.Dense(dim),
        ],
        name="bn_image_encoder",
    )


class GRUCaptioner(keras.Model):
    """captioner([images, tokens]) -> logits (batch, t, vocab); the image is the GRU's initial state."""

    def __init__(self, vocab_size: int, hidden: int = HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.encoder = build_image_encoder(hidden)
        self.to_state = layers.Dense(hidden, activation="tanh")
        self.embed = layers.Embedding(vocab_size, EMBED)
        self.gru = layers.GRU(hidden, return_sequences=True)
        self.head = layers.Dense(vocab_size)

    def call(self, inputs, training=None):
        images, tokens = inputs
        state = self.to_state(self.encoder(images, training=training))
        sequence = self.gru(self.embed(tokens), initial_state=state, training=training)
        return self.head(sequence)


def build_captioner(vocab_size: int, hidden: int = HIDDEN) -> keras.Model:
    """[images, tokens (batch, t)] -> next-token logits (batch, t, vocab_size); the decoder must see the image."""
    model = GRUCaptioner(vocab_size, hidden, name="gru_captioner")
    model([tf.zeros((1, 28, 28, 1)), tf.fill((1, 1), START)])  # build the weights
    return model


def teacher_forcing(captions):
    """Decoder inputs (all but the last token) and targets (all but <start>)."""
    captions = tf.cast(captions, tf.int32)
    return captions[:, :-1], captions[:, 1:]


def masked_loss(targets, logits):
    """Mean sparse cross-entropy over the positions whose target is not PAD."""
    targets = tf.cast(targets, tf.int32)
    logits = tf.cast(logits, tf.float32)
    per_token = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
    real = tf.cast(targets != PAD, tf.float32)
    return tf.math.divide_no_nan(tf.reduce_sum(per_token * real), tf.reduce_sum(real))


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    images = tf.cast(images, tf.float32)
    inputs, targets = teacher_forcing(captions)
    variables = captioner.trainable_variables
    with tf.GradientTape() as tape:
        loss = masked_loss(targets, captioner([images, inputs], training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    images = tf.cast(images, tf.float32)
    batch = tf.shape(images)[0]
    tokens = tf.fill((batch, 1), START)
    finished = tf.zeros((batch,), tf.bool)
    for _ in range(max_len):
        logits = captioner([images, tokens], training=False)
        best = tf.argmax(logits[:, -1, :], axis=-1, output_type=tf.int32)
        best = tf.where(finished, tf.fill((batch,), PAD), best)
        tokens = tf.concat([tokens, best[:, None]], axis=1)
        finished = finished | (best == END)
        if bool(tf.reduce_all(finished)):
            break
    generated = tokens[:, 1:].numpy().astype(np.int32)
    return np.pad(generated, ((0, 0), (0, max_len - generated.shape[1])), constant_values=PAD).astype(np.int32)


def beam_search(captioner, images, beam_width: int = 3, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """(Bonus) keep the beam_width best prefixes by summed log-probability; return the best caption per image."""
    images = tf.cast(images, tf.float32)
    batch, k = int(images.shape[0]), int(beam_width)
    tiled = tf.repeat(images, k, axis=0)  # row b * k + j is image b
    tokens = tf.fill((batch * k, 1), START)
    # Only beam 0 is alive at the start; the others are -inf so they are never chosen.
    scores = tf.tile(tf.constant([[0.0] + [-np.inf] * (k - 1)], tf.float64), (batch, 1))
    finished = tf.zeros((batch, k), tf.bool)
    for _ in range(max_len):
        if bool(tf.reduce_all(finished)):
            break
        logits = captioner([tiled, tokens], training=False)[:, -1, :]
        log_probs = tf.nn.log_softmax(tf.cast(logits, tf.float64), axis=-1)
        vocab = int(log_probs.shape[-1])
        log_probs = tf.reshape(log_probs, (batch, k, vocab))
        # A finished caption may only be "extended" by PAD, at no cost: it stays in the beam unchanged.
        pad_only = tf.where(tf.range(vocab) == PAD, tf.constant(0.0, tf.float64), tf.constant(-np.inf, tf.float64))
        log_probs = tf.where(finished[:, :, None], pad_only[None, None, :], log_probs)
        candidates = tf.reshape(scores[:, :, None] + log_probs, (batch, k * vocab))
        scores, flat = tf.math.top_k(candidates, k=k)
        parent, token = flat // vocab, tf.cast(flat % vocab, tf.int32)
        parent_rows = tf.reshape(parent + tf.range(batch)[:, None] * k, (-1,))
        tokens = tf.concat([tf.gather(tokens, parent_rows), tf.reshape(token, (-1, 1))], axis=1)
        finished = tf.gather(finished, parent, batch_dims=1) | (token == END)
    best = tf.argmax(scores, axis=1, output_type=tf.int32) + tf.range(batch) * k
    generated = tf.gather(tokens, best)[:, 1:].numpy().astype(np.int32)
    return np.pad(generated, ((0, 0), (0, max_len - generated.shape[1])), constant_values=PAD).astype(np.int32)
