"""Checks for gan_balance: spectral normalisation bounds the discriminator, one-sided smoothing,
the instance-noise schedule, per-example interpolation, the gradient penalty on a linear critic,
the D:G update ratio, and the diagnosis of hand-made accuracy histories."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import as_array, changed, expect_close, expect_finite, expect_in_range, expect_shape, snapshot

LOG2 = float(np.log(2.0))


def bce(logits, target: float) -> float:
    """Mean binary cross-entropy of logits against a constant target (stable, float64)."""
    x = np.asarray(logits, np.float64)
    return float(np.mean(np.maximum(x, 0) - x * target + np.log1p(np.exp(-np.abs(x)))))


def real_images(n: int = 8, seed: int = 0) -> tf.Tensor:
    return tf.constant(toy_data.make_batch(n, seed).images * 2.0 - 1.0)


def linear_critic(norm: float, seed: int = 0) -> keras.Model:
    """D(x) = <w, x> with ||w||_2 = norm and no bias: its input gradient is w everywhere."""
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)])
    w = np.random.default_rng(seed).standard_normal((784, 1))
    model.layers[-1].kernel.assign((norm * w / np.linalg.norm(w)).astype(np.float32))
    return model


def tiny_generator(noise_dim: int = 4) -> keras.Model:
    return keras.Sequential([keras.Input((noise_dim,)), keras.layers.Dense(784, activation="tanh"), keras.layers.Reshape((28, 28, 1))])


def noise(n: int, dim: int = 4, seed: int = 1) -> tf.Tensor:
    return tf.constant(np.random.default_rng(seed).standard_normal((n, dim)), tf.float32)


def max_input_gradient(discriminator, images) -> float:
    """Largest per-example L2 norm of d logit / d image, with the model in training mode."""
    with tf.GradientTape() as tape:
        tape.watch(images)
        out = discriminator(images, training=True)
    grads = as_array(tape.gradient(out, images), "d discriminator(x) / dx")
    return float(np.sqrt((grads.reshape(len(grads), -1) ** 2).sum(axis=1)).max())


def test_networks_have_the_right_shapes(answer):
    z = tf.constant(np.random.default_rng(0).standard_normal((4, answer.NOISE_DIM)), tf.float32)
    images = expect_in_range(expect_shape(answer.build_generator()(z), (4, 28, 28, 1), "build_generator()(z (4, NOISE_DIM))"),
                             -1.0, 1.0, "generator(z)")
    for flag in (False, True):
        call = f"build_discriminator(spectral_norm={flag})(images (4, 28, 28, 1), training=True)"
        expect_finite(expect_shape(answer.build_discriminator(flag)(tf.constant(images), training=True), (4, 1), call), call)


@pytest.mark.points(2)
def test_spectral_norm_bounds_the_discriminator_gradient(answer):
    """Blow every weight matrix up 30 times: a spectrally normalised D must stay just as smooth."""
    discriminator = answer.build_discriminator(spectral_norm=True)
    x = tf.constant(np.random.default_rng(4).uniform(-1, 1, (8, 28, 28, 1)), tf.float32)
    discriminator(x, training=True)
    for variable in discriminator.trainable_variables:
        if len(variable.shape) >= 2:
            variable.assign(variable * 30.0)
    for _ in range(10):  # let the power iteration settle on the new weights
        discriminator(x, training=True)
    largest = max_input_gradient(discriminator, x)
    if not np.isfinite(largest) or largest > 10.0:
        raise AssertionError(
            f"build_discriminator(spectral_norm=True) with every kernel multiplied by 30 has an input gradient of norm "
            f"{largest:.3g}; expected at most 10. Divide each weight matrix by its largest singular value "
            "(keras.layers.SpectralNormalization) when called with training=True"
        )


@pytest.mark.points(2)
def test_discriminator_loss_smooths_only_the_real_targets(answer):
    real = tf.constant([[2.0], [-1.0], [0.5], [3.0]])
    fake = tf.constant([[-2.0], [1.0], [0.0], [-0.5]])
    call = "discriminator_loss(real_logits, fake_logits, real_smoothing=0.1)"
    got = expect_shape(answer.discriminator_loss(real, fake, 0.1), (), call)
    expect_close(got, bce(real, 0.9) + bce(fake, 0.0), call, "mean BCE(real, 0.9) + mean BCE(fake, 0): fake targets stay 0")
    expect_close(answer.discriminator_loss(tf.zeros((4, 1)), tf.zeros((4, 1))), 2 * LOG2,
                 "discriminator_loss(zeros, zeros)", "log 2 for each of the two terms")


@pytest.mark.points(2)
def test_noise_strength_follows_its_schedule(answer):
    steps = [0, 250, 500, 999, 1000, 3000]
    got = [answer.instance_noise_std(s, 0.2, 1000) for s in steps]
    expect_close(np.asarray(got, np.float64), [0.2, 0.15, 0.1, 0.0002, 0.0, 0.0],
                 f"[instance_noise_std(step, start=0.2, decay_steps=1000) for step in {steps}]",
                 "0.2 * max(0, 1 - step / 1000)", atol=1e-6)


def test_instance_noise_has_the_requested_strength(answer):
    images = tf.zeros((64, 28, 28, 1))
    call = "add_instance_noise(zeros (64, 28, 28, 1), 0.3)"
    first = expect_shape(answer.add_instance_noise(images, 0.3), (64, 28, 28, 1), call)
    expect_close(first.std(), 0.3, f"the standard deviation of {call}", "std * N(0, 1) per pixel", atol=0.01, rtol=0)
    expect_close(first.mean(), 0.0, f"the mean of {call}", "zero-mean noise", atol=0.01, rtol=0)
    if np.array_equal(first, as_array(answer.add_instance_noise(images, 0.3), call)):
        raise AssertionError(f"{call} gave the same noise on a second call; draw new noise every call")
    clean = real_images(4)
    expect_close(answer.add_instance_noise(clean, 0.0), clean.numpy(), "add_instance_noise(images, 0.0)", "no noise at std 0")


@pytest.mark.points(2)
def test_interpolation_uses_one_coefficient_per_example(answer):
    rng = np.random.default_rng(5)
    real = rng.uniform(-1, 1, (16, 28, 28, 1)).astype(np.float32)
    fake = (real + rng.choice([-1.0, 1.0], real.shape) * rng.uniform(0.5, 1.0, real.shape)).astype(np.float32)
    call = "interpolate(real (16, 28, 28, 1), fake)"
    mixed = expect_shape(answer.interpolate(tf.constant(real), tf.constant(fake)), (16, 28, 28, 1), call)
    alpha = ((mixed - fake) / (real - fake)).reshape(16, -1)
    spread = alpha.max(axis=1) - alpha.min(axis=1)
    if spread.max() > 1e-3:
        raise AssertionError(
            f"{call}: the mixing coefficient varies by up to {spread.max():.3g} within one example; draw alpha with shape "
            "(batch, 1, 1, 1) so that each interpolate lies on the line between its real and its fake example"
        )
    expect_in_range(alpha[:, 0], 0.0, 1.0, f"the coefficients alpha of {call}")
    if np.ptp(alpha[:, 0]) < 1e-3:
        raise AssertionError(f"{call} used the same alpha {alpha[0, 0]:.3g} for every example; draw one per example")


@pytest.mark.points(2)
def test_gradient_penalty_of_a_linear_critic(answer):
    real, fake = real_images(8), tf.constant(np.random.default_rng(6).uniform(-1, 1, (8, 28, 28, 1)), tf.float32)
    for norm in (3.0, 0.5):
        call = f"gradient_penalty(D(x) = <w, x> with ||w|| = {norm}, real, fake)"
        got = expect_shape(answer.gradient_penalty(linear_critic(norm), real, fake), (), call)
        expect_close(got, (norm - 1.0) ** 2, call, "the gradient is w at every point, so (||w|| - 1)^2", atol=1e-3, rtol=1e-3)


@pytest.mark.points(3)
def test_discriminator_step_adds_the_gradient_penalty(answer):
    """With a linear critic the penalty is known exactly, so loss, gp and the update can be checked."""
    generator, critic = tiny_generator(), linear_critic(3.0)
    real, z = real_images(8), noise(8)
    fake = generator(z, training=True)
    real_logits, fake_logits = as_array(critic(real), "D(real)"), as_array(critic(fake), "D(fake)")
    expected = bce(real_logits, 0.9) + bce(fake_logits, 0.0) + 10.0 * 4.0
    w = critic.trainable_variables[0]
    with tf.GradientTape() as tape:  # gradient of the expected loss with respect to w, by hand
        r, f = tf.reshape(real, (8, -1)) @ w, tf.reshape(fake, (8, -1)) @ w
        norm = tf.norm(w)
        target = (tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(tf.fill(r.shape, 0.9), r))
                  + tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(f), f)) + 10.0 * (norm - 1.0) ** 2)
    step_expected = w.numpy() - 0.01 * tape.gradient(target, w).numpy()
    out = answer.discriminator_step(generator, critic, keras.optimizers.SGD(0.01), real, z,
                                    real_smoothing=0.1, noise_std=0.0, gp_weight=10.0)
    call = "discriminator_step(G, D linear with ||w|| = 3, SGD(0.01), real, z, real_smoothing=0.1, gp_weight=10)"
    expect_close(out["gp"], 4.0, f"{call}['gp']", "(||w|| - 1)^2 = 4", atol=1e-3, rtol=1e-3)
    expect_close(out["loss"], expected, f"{call}['loss']",
                 "BCE(real, 0.9) + BCE(fake, 0) + 10 * gp: the penalty belongs to D's loss", atol=1e-3, rtol=1e-4)
    expect_close(w.numpy(), step_expected, f"the critic's weights after {call}",
                 "one SGD step on D's penalised loss", atol=1e-5, rtol=1e-3)


def test_discriminator_step_reports_its_accuracy(answer):
    generator, critic = tiny_generator(), linear_critic(2.0, seed=3)
    real, z = real_images(8), noise(8, seed=2)
    real_logits = as_array(critic(real), "D(real)")
    fake_logits = as_array(critic(generator(z, training=True)), "D(fake)")
    expected = (np.sum(real_logits > 0) + np.sum(fake_logits < 0)) / 16.0
    out = answer.discriminator_step(generator, critic, keras.optimizers.SGD(0.0), real, z)
    expect_close(out["accuracy"], expected, "discriminator_step(...)['accuracy']",
                 "fraction of the 16 logits with real > 0 and fake < 0", atol=1e-6)


def test_discriminator_step_applies_instance_noise(answer):
    generator, critic = tiny_generator(), linear_critic(3.0, seed=4)
    real, z = real_images(8), noise(8, seed=3)
    clean = float(as_array(answer.discriminator_step(generator, critic, keras.optimizers.SGD(0.0), real, z)["loss"], "loss"))
    noisy = float(as_array(answer.discriminator_step(generator, critic, keras.optimizers.SGD(0.0), real, z, noise_std=1.0)["loss"], "loss"))
    if abs(noisy - clean) < 1e-3:
        raise AssertionError(
            f"discriminator_step(..., noise_std=1.0) reported loss {noisy:.5f}, the same as with noise_std=0 ({clean:.5f}); "
            "add instance noise to the real and the generated images before D scores them"
        )


def test_generator_step_uses_the_non_saturating_loss_and_updates_only_g(answer):
    generator, critic = tiny_generator(), linear_critic(3.0, seed=5)
    z = noise(8, seed=4)
    expected = bce(as_array(critic(generator(z, training=True)), "D(G(z))"), 1.0)
    g_before, d_before = snapshot(generator.trainable_variables), snapshot(critic.variables)
    got = answer.generator_step(generator, critic, keras.optimizers.SGD(0.01), z)
    expect_close(got, expected, "generator_step(G, D, SGD(0.01), z)", "mean BCE(D(G(z)), 1), nothing added", atol=1e-4)
    if any(changed(d_before, critic.variables)):
        raise AssertionError("generator_step changed the discriminator's weights; update generator.trainable_variables only")
    if not any(changed(g_before, generator.trainable_variables)):
        raise AssertionError("generator_step left the generator unchanged; apply the gradients with g_optimizer")


@pytest.mark.training
@pytest.mark.points(3)
def test_train_updates_the_discriminator_k_times_per_generator_update(answer):
    images = real_images(32).numpy()
    for d_steps, steps in ((3, 2), (1, 3)):
        generator, critic = tiny_generator(answer.NOISE_DIM), linear_critic(1.0)
        g_opt, d_opt = keras.optimizers.SGD(0.01), keras.optimizers.SGD(0.01)
        config = answer.BalanceConfig(d_steps=d_steps, batch_size=8)
        history = answer.train(generator, critic, g_opt, d_opt, images, steps, config, seed=0)
        call = f"train(..., steps={steps}, BalanceConfig(d_steps={d_steps}))"
        if int(d_opt.iterations) != d_steps * steps or int(g_opt.iterations) != steps:
            raise AssertionError(
                f"{call} made d_optimizer take {int(d_opt.iterations)} steps and g_optimizer {int(g_opt.iterations)}; "
                f"expected {d_steps * steps} and {steps} ({d_steps} D updates before each G update)"
            )
        for key in ("d_loss", "d_accuracy", "g_loss", "noise_std"):
            if key not in history or len(history[key]) != steps:
                raise AssertionError(f"{call} history[{key!r}] is {history.get(key)!r:.60}; expected a list of {steps} values")
        expect_in_range(np.asarray(history["d_accuracy"]), 0.0, 1.0, f"{call}['d_accuracy']")


@pytest.mark.training
def test_train_decays_the_instance_noise(answer):
    generator, critic = tiny_generator(answer.NOISE_DIM), linear_critic(1.0)
    config = answer.BalanceConfig(d_steps=1, batch_size=4, noise_start=0.3, noise_decay_steps=2)
    history = answer.train(generator, critic, keras.optimizers.SGD(0.0), keras.optimizers.SGD(0.0), real_images(8).numpy(), 4, config)
    expect_close(np.asarray(history["noise_std"], np.float64), [0.3, 0.15, 0.0, 0.0],
                 "train(..., steps=4, BalanceConfig(noise_start=0.3, noise_decay_steps=2))['noise_std']",
                 "instance_noise_std(step, 0.3, 2) at steps 0, 1, 2, 3", atol=1e-6)


@pytest.mark.points(2)
def test_diagnose_reads_recent_accuracies(answer):
    histories = {
        "D near 100 % lately (after a balanced start)": ([0.7] * 40 + [0.99] * 20, "overpowering"),
        "D near 100 % from the start, balanced lately": ([1.0] * 40 + [0.75] * 20, "balanced"),
        "D at chance lately": ([0.8] * 40 + [0.5] * 20, "collapsing"),
        "D worse than chance": ([0.3] * 25, "collapsing"),
        "a steady 75 %": ([0.75] * 30, "balanced"),
        "only five values, all 0.97": ([0.97] * 5, "overpowering"),
    }
    for what, (history, label) in histories.items():
        got = answer.diagnose(history)
        if got != label:
            raise AssertionError(f"diagnose(accuracies) for {what} returned {got!r}; expected {label!r} "
                                 f"(mean of the last {answer.WINDOW}: >= {answer.OVERPOWERING} overpowering, "
                                 f"<= {answer.COLLAPSED} collapsing)")


@pytest.mark.training
def test_train_runs_on_the_answers_own_networks(answer):
    """The answer's own networks with smoothing, noise, a penalty and two D steps per G step.

    (Spectral norm is left off here only to keep the check fast: a penalty through a spectrally
    normalised D takes seconds to trace; the spectral-norm check covers that option.)
    """
    generator, discriminator = answer.build_generator(), answer.build_discriminator(spectral_norm=False)
    config = answer.BalanceConfig(d_steps=2, real_smoothing=0.1, noise_start=0.2, noise_decay_steps=10, gp_weight=10.0, batch_size=8)
    history = answer.train(generator, discriminator, keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3),
                           real_images(32).numpy(), 2, config, seed=1)
    call = "train(build_generator(), build_discriminator(), ..., steps=2, smoothing, noise, gp_weight=10, d_steps=2)"
    for key in ("d_loss", "g_loss"):
        expect_finite(np.asarray(history[key]), f"{call}[{key!r}]")
