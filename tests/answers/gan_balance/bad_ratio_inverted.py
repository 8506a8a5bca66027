"""Bug: the loop runs d_steps generator updates per discriminator update, the ratio the wrong way round."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_train_updates_the_discriminator_k_times_per_generator_update",)


def train(generator, discriminator, g_optimizer, d_optimizer, images, steps, config=BalanceConfig(), seed=0):  # noqa: F821
    rng = np.random.default_rng(seed)
    images = np.asarray(images, np.float32)
    dim = generator.inputs[0].shape[-1]
    history = {"d_loss": [], "d_accuracy": [], "g_loss": [], "noise_std": []}
    for step in range(steps):
        std = instance_noise_std(step, config.noise_start, config.noise_decay_steps)  # noqa: F821
        real = tf.constant(images[rng.integers(0, len(images), config.batch_size)])
        z = tf.constant(rng.standard_normal((config.batch_size, dim)), tf.float32)
        out = discriminator_step(generator, discriminator, d_optimizer, real, z, config.real_smoothing, std, config.gp_weight)  # noqa: F821
        for _ in range(config.d_steps):
            g_loss = generator_step(generator, discriminator, g_optimizer, z, std)  # noqa: F821
        history["d_loss"].append(float(out["loss"]))
        history["d_accuracy"].append(float(out["accuracy"]))
        history["g_loss"].append(float(g_loss))
        history["noise_std"].append(std)
    return history
