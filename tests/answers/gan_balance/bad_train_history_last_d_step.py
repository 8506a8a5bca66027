"""Bug: d_loss and d_accuracy are the mean over that step's config.d_steps D updates; this answer records only the last D update of each step."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_train_draws_a_fresh_seeded_batch_for_every_discriminator_step",)


def train(generator, discriminator, g_optimizer, d_optimizer, images, steps: int,
          config: BalanceConfig = BalanceConfig(), seed: int = 0) -> dict:  # noqa: F821
    """`steps` rounds of config.d_steps D updates then one G update; per-step history lists."""
    rng = np.random.default_rng(seed)  # noqa: F821
    images = np.asarray(images, np.float32)  # noqa: F821
    noise_dim = generator.inputs[0].shape[-1]
    history = {'d_loss': [], 'd_accuracy': [], 'g_loss': [], 'noise_std': []}

    def noise():
        return tf.constant(rng.standard_normal((config.batch_size, noise_dim)), tf.float32)  # noqa: F821

    for step in range(steps):
        std = instance_noise_std(step, config.noise_start, config.noise_decay_steps)  # noqa: F821
        for _ in range(config.d_steps):
            real = tf.constant(images[rng.integers(0, len(images), config.batch_size)])  # noqa: F821
            out = discriminator_step(generator, discriminator, d_optimizer, real, noise(),  # noqa: F821
                                     config.real_smoothing, std, config.gp_weight)
        g_loss = generator_step(generator, discriminator, g_optimizer, noise(), std)  # noqa: F821
        history['d_loss'].append(float(out['loss']))
        history['d_accuracy'].append(float(out['accuracy']))
        history['g_loss'].append(float(g_loss))
        history['noise_std'].append(std)
    return history
