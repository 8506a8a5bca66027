"""Image-to-text: a CNN + RNN captioner for the toy scenes.

A small CNN encodes the 28x28 image into a vector, a GRU decoder writes the caption
one token at a time, and the script reports the validation loss and token accuracy
and prints greedy captions for a few validation images.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Input, Conv2D, Flatten, Dense, GRU
from tensorflow.keras.optimizers import Adam
from mmgen.toy_data import make_batch, decode, VOCAB_SIZE, MAX_LEN, START

UNITS = 128
BATCH = 32
STEPS = 10


def build_image_encoder():
    image_in = Input(shape=(28, 28, 1))
    x = Conv2D(32, 3, strides=2, activation="relu")(image_in)
    x = Conv2D(64, 3, strides=2, activation="relu")(x)
    x = Flatten()(x)
    x = GRU(UNITS)(x)
    return Model(image_in, x)


def build_captioner(encoder):
    image_in = Input(shape=(28, 28, 1))
    tokens_in = Input(shape=(None,), dtype="int32")
    h = encoder(image_in)
    e = Embedding(VOCAB_SIZE, 64, mask_zero=True)(tokens_in)
    x = GRU(UNITS, return_sequences=True)(e)
    logits = Dense(VOCAB_SIZE, activation="softmax")(x)
    return Model([image_in, tokens_in], logits)


captioner = build_captioner(build_image_encoder())
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = Adam(1e-3)

data = make_batch(640, seed=0)
train_images, train_captions = data.images[:512], data.captions[:512]
val_images, val_captions = data.images[-256:], data.captions[-256:]
rng = np.random.default_rng(0)

for step in range(STEPS):
    idx = rng.integers(0, len(train_images), BATCH)
    images, captions = train_images[idx], train_captions[idx]
    inputs, targets = captions[:, :-1], captions[:, :-1]
    weights = tf.cast(targets != 0, tf.float32)
    with tf.GradientTape() as tape:
        logits = captioner([images, inputs], training=True)
        loss = loss_fn(targets, logits, sample_weight=weights)
    grads = tape.gradient(loss, captioner.trainable_variables)
    optimizer.apply_gradients(zip(grads, captioner.trainable_variables))
    print(f"step {step}  loss {float(loss):.3f}")

val_inputs, val_targets = val_captions[:, :-1], val_captions[:, 1:]
val_weights = tf.cast(val_targets != 0, tf.float32)
val_logits = captioner([val_images, val_inputs], training=False)
val_loss = loss_fn(val_targets, val_logits, sample_weight=val_weights)
pred = tf.argmax(logits, axis=-1, output_type=tf.int32)
accuracy = tf.reduce_sum(tf.cast(pred == targets, tf.float32) * weights) / tf.reduce_sum(weights)
print(f"val loss {float(val_loss):.3f}  val token accuracy {float(accuracy):.3f}")

tokens = np.full((3, 1), START, dtype=np.int32)
for _ in range(MAX_LEN - 1):
    next_logits = captioner([val_images[:3], tokens], training=False)[:, -1]
    next_token = np.argmax(next_logits, axis=-1).astype(np.int32)
    tokens = np.concatenate([tokens, next_token[:, None]], axis=1)
for row in tokens:
    print(" ".join(decode(row)))
