"""Text-to-image GAN on the toy scenes.

The generator turns noise and a caption into a 28x28 image; the discriminator scores
(image, caption) pairs, so it can reject an image that does not match its caption.
Each step updates the discriminator, then the generator, and prints both losses.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Input, Dense, Reshape, Flatten, Conv2D, Conv2DTranspose, Embedding
from tensorflow.keras.layers import GlobalAveragePooling1D, Concatenate, LeakyReLU
from tensorflow.keras.optimizers import Adam
from mmgen.toy_data import make_batch, VOCAB_SIZE, MAX_LEN

Z_DIM = 64
BATCH = 32
STEPS = 10


def build_text_encoder():
    tokens = Input(shape=(MAX_LEN,), dtype="int32")
    x = Embedding(VOCAB_SIZE, 32, mask_zero=True)(tokens)
    x = GlobalAveragePooling1D()(x)
    return Model(tokens, Dense(64, activation="relu")(x))


def build_generator(text_encoder):
    z_in = Input(shape=(Z_DIM,))
    caption_in = Input(shape=(MAX_LEN,), dtype="int32")
    t = text_encoder(caption_in)
    x = Dense(7 * 7 * 64, activation="relu")(Concatenate()([z_in, t]))
    x = Reshape((7, 7, 64))(x)
    x = Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu")(x)
    image = Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return Model([z_in, caption_in], image)


def build_discriminator(text_encoder):
    image_in = Input(shape=(28, 28, 1))
    caption_in = Input(shape=(MAX_LEN,), dtype="int32")
    x = LeakyReLU(0.2)(Conv2D(32, 4, strides=2, padding="same")(image_in))
    x = LeakyReLU(0.2)(Conv2D(64, 4, strides=2, padding="same")(x))
    x = Concatenate()([Flatten()(x), text_encoder(caption_in)])
    x = LeakyReLU(0.2)(Dense(128)(x))
    score = Dense(1)(x)
    return Model([image_in, caption_in], score)


generator = build_generator(build_text_encoder())
discriminator = build_discriminator(build_text_encoder())
z_in = Input(shape=(Z_DIM,))
caption_in = Input(shape=(MAX_LEN,), dtype="int32")
gan = Model([z_in, caption_in], discriminator([generator([z_in, caption_in]), caption_in]))

bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
d_opt = Adam(2e-4, beta_1=0.5)
g_opt = Adam(2e-4, beta_1=0.5)
data = make_batch(512, seed=0)
rng = np.random.default_rng(0)

for step in range(STEPS):
    idx = rng.integers(0, len(data.images), BATCH)
    real_images = tf.constant(data.images[idx] * 2.0 - 1.0)
    captions = tf.constant(data.captions[idx])
    z = tf.random.normal((BATCH, Z_DIM))
    with tf.GradientTape() as tape:
        fake_images = generator([z, captions], training=True)
        real_logits = discriminator([real_images, captions], training=True)
        fake_logits = discriminator([fake_images, captions], training=True)
        d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
    d_grads = tape.gradient(d_loss, discriminator.trainable_variables)
    d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables))
    with tf.GradientTape() as tape:
        fake_logits = gan([z, captions], training=True)
        g_loss = bce(tf.ones_like(fake_logits), fake_logits)
    g_grads = tape.gradient(g_loss, generator.trainable_variables)
    g_opt.apply_gradients(zip(g_grads, generator.trainable_variables))
    print(f"step {step}  d_loss {float(d_loss):.3f}  g_loss {float(g_loss):.3f}")

samples = generator([tf.random.normal((4, Z_DIM)), tf.constant(data.captions[:4])], training=False)
print("samples", samples.shape, "range", float(tf.reduce_min(samples)), float(tf.reduce_max(samples)))
