"""Checks for diffusion_cfg: schedules and DDIM/DDPM steps against the contract's closed forms and the
reference, the training step through a model that records what it was shown, guidance and sampling
through oracle models whose exact answer is known, and a learning check at 7 x 7."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers, ops

from mmgen import exhibits, toy_data
from mmgen.checks import (
    as_array,
    compiled,
    contract_gradients,
    expect_close,
    expect_finite,
    expect_one_update,
    expect_scalar,
    expect_sgd_update,
    expect_shape,
    fmt,
    once_per_answer,
    ready_to_compile,
    restore,
    rewind,
    seed_everything,
    snapshot,
)
from mmgen.differential import Case, expect_matches_reference
from mmgen.fused_adam import FusedAdam

SIZE = 7  # the checks' image size (the contract's learning check trains at 7 x 7)
STEPS = 10  # timesteps of the checks' schedules, so that every timestep is drawn often
LEARNING_STEPS = 500
LEARNING_EVERY = 50  # the learning check tests the denoiser every 50 steps, and stops as soon as it passes
CAPTIONS = np.stack([toy_data.encode(scene.words) for scene in toy_data.all_scenes()])
CAPTIONS.setflags(write=False)  # an answer that writes into its captions argument fails instead of changing later checks


def schedule(reference, timesteps: int = STEPS) -> np.ndarray:
    """The checks' alphas_cumprod: the reference's cosine schedule (so no check depends on the answer's)."""
    return reference.alphas_cumprod(reference.cosine_betas(timesteps))


def images(n: int, seed: int = 0) -> np.ndarray:
    """``n`` images in [-1, 1] of SIZE x SIZE (random, so every pixel matters)."""
    return np.random.default_rng(seed).uniform(-1, 1, (n, SIZE, SIZE, 1)).astype(np.float32)


class Recorder(keras.Model):
    """A small noise predictor that remembers the inputs and the training flag of its last call, and
    counts its calls, in variables (so it also records inside a tf.function)."""

    def __init__(self, batch: int, timesteps: int = STEPS, dropout: float = 0.0):
        super().__init__()
        self.text = layers.Embedding(toy_data.VOCAB_SIZE, 8)
        self.time = layers.Embedding(timesteps, 8)
        self.hidden = layers.Dense(32, activation="tanh")
        self.dropout = layers.Dropout(dropout, seed=1)
        self.out = layers.Dense(SIZE * SIZE)
        self.seen_noisy = self.add_weight(shape=(batch, SIZE, SIZE, 1), initializer="zeros", trainable=False)
        self.seen_t = self.add_weight(shape=(batch,), initializer="zeros", trainable=False, dtype="int32")
        self.seen_captions = self.add_weight(shape=(batch, toy_data.MAX_LEN), initializer="zeros", trainable=False, dtype="int32")
        self.seen_training = self.add_weight(shape=(), initializer="zeros", trainable=False)
        self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False, dtype="int32")

    def build(self, inputs_shape=None):
        """Build the layers from the known sizes (quicker than Keras's symbolic first call)."""
        self.text.build((None, toy_data.MAX_LEN))
        self.time.build((None,))
        self.hidden.build((None, SIZE * SIZE + 16))
        self.out.build((None, 32))

    def call(self, inputs, training=None):
        noisy, t, captions = inputs
        t, captions = ops.cast(t, "int32"), ops.cast(captions, "int32")
        self.seen_noisy.assign(ops.cast(noisy, "float32"))
        self.seen_t.assign(t)
        self.seen_captions.assign(captions)
        self.seen_training.assign(1.0 if training else 0.0)
        self.calls.assign_add(1)
        features = ops.concatenate(
            [ops.reshape(noisy, (-1, SIZE * SIZE)), ops.mean(self.text(captions), axis=1), self.time(t)], axis=-1)
        hidden = self.dropout(self.hidden(features), training=training)
        return ops.reshape(self.out(hidden), (-1, SIZE, SIZE, 1))


def recorded(model: Recorder) -> dict:
    """What ``model`` saw in its last call."""
    return {
        "noisy": model.seen_noisy.numpy(), "t": model.seen_t.numpy(), "captions": model.seen_captions.numpy(),
        "training": bool(model.seen_training.numpy()), "calls": int(model.calls.numpy()),
    }


def built_recorder(batch: int, dropout: float = 0.0) -> Recorder:
    model = Recorder(batch, dropout=dropout)
    model([tf.zeros((batch, SIZE, SIZE, 1)), tf.zeros((batch,), tf.int32), tf.constant(CAPTIONS[np.arange(batch) % 64])])
    model.calls.assign(0)
    return model


def recovered_noise(seen: dict, x0: np.ndarray, alphas_cumprod: np.ndarray) -> np.ndarray:
    """The noise a step drew, read back from the noisy images the model saw: (x_t - sqrt(a) x0) / sqrt(1 - a)."""
    a = alphas_cumprod[seen["t"]].reshape(-1, 1, 1, 1)
    return (seen["noisy"] - np.sqrt(a) * x0) / np.sqrt(1.0 - a)


def step_and_record(answer, reference, batch: int = 64, p_uncond: float = 0.5, seed: int = 0, calls: int = 1) -> list[dict]:
    """Call the answer's train_step ``calls`` times on the recording model; what the model saw each time."""
    model, alphas = built_recorder(batch), schedule(reference)
    rng, x0 = np.random.default_rng(seed), images(batch)
    optimizer = keras.optimizers.SGD(0.01)
    seen = []
    for number in range(calls):
        answer.train_step(model, optimizer, x0, CAPTIONS[np.arange(batch) % 64], alphas, rng, p_uncond=p_uncond)
        seen.append(recorded(model) | {"noise": recovered_noise(recorded(model), x0, alphas)})
        model.calls.assign(0)
    return seen


RECORDED_BATCH, RECORDED_CALLS = 128, 4  # the shared recorded run: 512 examples, as many timesteps and captions


@once_per_answer
def recorded_steps(answer, reference) -> list[dict]:
    """RECORDED_CALLS train_step calls (seed 0, p_uncond=0.5) on batches of RECORDED_BATCH: what the model saw
    each time. One run, read by the checks of the timesteps, the noise and the caption dropout the step draws."""
    return step_and_record(answer, reference, batch=RECORDED_BATCH, calls=RECORDED_CALLS)


# Schedules, the forward process and the timestep embedding

@pytest.mark.hint(1)
def test_linear_betas_run_evenly_from_start_to_end(answer, reference):
    cases = [Case(f"timesteps={n}, start={a}, end={b}", (n,), {"start": a, "end": b})
             for n, a, b in ((2, 1e-4, 0.02), (10, 1e-4, 0.02), (1000, 1e-4, 0.02), (50, 0.001, 0.05))]
    expect_matches_reference("linear_betas", answer.linear_betas, reference.linear_betas, cases,
                             "evenly spaced, both ends included", atol=1e-12, rtol=1e-9)


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_cosine_betas_follow_nichol_and_dhariwal(answer, reference):
    cases = [Case(f"timesteps={n}, offset={s}, max_beta={m}", (n,), {"offset": s, "max_beta": m})
             for n, s, m in ((1, 0.008, 0.999), (10, 0.008, 0.999), (100, 0.008, 0.999), (1000, 0.008, 0.999),
                             (20, 0.0, 0.5), (20, 0.1, 0.999))]
    expect_matches_reference(
        "cosine_betas", answer.cosine_betas, reference.cosine_betas, cases,
        "f(u) = cos²((u / T + s) / (1 + s) · π/2), beta[t] = min(1 - f(t + 1) / f(t), max_beta)", atol=1e-10, rtol=1e-8,
    )


@pytest.mark.hint(1)
def test_alphas_cumprod_is_the_running_product_of_one_minus_beta(answer, reference):
    rng = np.random.default_rng(0)
    cases = [Case(f"betas={fmt(b)}", (b,)) for b in (np.array([0.5]), np.array([0.1, 0.2, 0.3]), rng.uniform(0, 0.05, 200))]
    expect_matches_reference("alphas_cumprod", answer.alphas_cumprod, reference.alphas_cumprod, cases,
                             "alphas_cumprod[t] = (1 - beta[0]) ... (1 - beta[t])", atol=1e-12, rtol=1e-9)


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_q_sample_gives_each_example_its_own_timestep(answer, reference):
    alphas = schedule(reference)
    x0, noise = np.ones((3, 2, 2, 1), np.float32), np.full((3, 2, 2, 1), 2.0, np.float32)
    t = np.array([0, 5, 9])
    got = expect_shape(answer.q_sample(tf.constant(x0), tf.constant(t), tf.constant(noise), alphas), (3, 2, 2, 1),
                       "q_sample(ones, t=[0, 5, 9], noise=twos)")
    expected = (np.sqrt(alphas[t]) + 2.0 * np.sqrt(1.0 - alphas[t])).reshape(3, 1, 1, 1) * np.ones((3, 2, 2, 1))
    expect_close(got, expected, "q_sample(ones, t=[0, 5, 9], noise=twos)",
                 "example i is sqrt(a[t_i]) x0_i + sqrt(1 - a[t_i]) noise_i, with a = alphas_cumprod")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_q_sample_matches_the_contract_in_values_and_gradients(answer, reference):
    rng = np.random.default_rng(1)
    alphas = schedule(reference, 100)
    cases = [
        Case(f"x0 of shape {shape}, t={fmt(t)}, noise of shape {shape}",
             (rng.uniform(-1, 1, shape).astype(np.float32), t, rng.normal(size=shape).astype(np.float32), alphas), wrt=(0, 2))
        for shape, t in (((1, 3, 3, 1), np.array([0])), ((4, 7, 7, 1), np.array([0, 1, 50, 99])),
                         ((6, 5), rng.integers(0, 100, 6)), ((8, 28, 28, 1), rng.integers(0, 100, 8)))
    ]
    expect_matches_reference("q_sample", answer.q_sample, reference.q_sample, cases,
                             "sqrt(a[t]) x0 + sqrt(1 - a[t]) noise, per example, gradients to x0 and noise")


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_timestep_embedding_is_sines_then_cosines(answer, reference):
    cases = [Case(f"t={fmt(t)}, dim={d}", (t, d)) for t, d in ((np.array([0]), 2), (np.array([0, 1, 2, 99]), 8),
                                                              (np.array([3, 500, 999]), 32), (np.arange(100), 64))]
    expect_matches_reference(
        "timestep_embedding", answer.timestep_embedding, reference.timestep_embedding, cases,
        "row t is [sin(t f_k) for k < half] then [cos(t f_k) for k < half], f_k = 10000^(-k / half)", same_dtype=True,
    )


# The denoiser

@once_per_answer
def fresh_denoiser(answer):
    """build_denoiser(image_size=SIZE), built once per answer for the checks of its outputs: they only call it
    (in inference mode), so it stays as freshly built."""
    return answer.build_denoiser(image_size=SIZE)


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_denoiser_predicts_noise_shaped_like_its_input(answer):
    for size in (SIZE, 28):
        model = fresh_denoiser(answer) if size == SIZE else answer.build_denoiser(image_size=size)
        call = f"build_denoiser(image_size={size})([noisy (5, {size}, {size}, 1), t (5,), captions (5, 6)])"
        got = model([tf.zeros((5, size, size, 1)), tf.constant([0, 1, 2, 3, 99]), tf.constant(CAPTIONS[:5])])
        expect_shape(got, (5, size, size, 1), call)
        if as_array(got, call).dtype != np.float32:
            raise AssertionError(f"{call} returned dtype {as_array(got, call).dtype}; expected float32")


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_denoiser_depends_on_the_caption_and_the_timestep(answer):
    model = fresh_denoiser(answer)
    noisy, t = tf.constant(images(4)), tf.constant([3, 3, 3, 3])
    base = as_array(model([noisy, t, tf.constant(CAPTIONS[:4])]), "denoiser")
    other_captions = as_array(model([noisy, t, tf.constant(CAPTIONS[40:44])]), "denoiser")
    other_t = as_array(model([noisy, tf.constant([80, 80, 80, 80]), tf.constant(CAPTIONS[:4])]), "denoiser")
    for what, changed in (("the captions", other_captions), ("t (3 -> 80)", other_t)):
        if np.allclose(base, changed, atol=1e-6):
            raise AssertionError(f"changing {what} left the freshly built denoiser's output unchanged; it must see both")


# Condition dropout, the loss and the training step

@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_drop_captions_replaces_each_row_with_probability_p(answer):
    captions = CAPTIONS[np.arange(20000) % 64]
    kept = captions.copy()
    for p in (0.0, 0.3, 1.0):
        got = np.asarray(answer.drop_captions(captions, p, np.random.default_rng(0)))
        call = f"drop_captions(20000 captions, p_uncond={p}, rng)"
        if got.shape != captions.shape:
            raise AssertionError(f"{call} returned shape {got.shape}; expected {captions.shape}")
        null = np.all(got == toy_data.encode(()), axis=1)
        same = np.all(got == captions, axis=1)
        if not np.all(null | same):
            raise AssertionError(f"{call} changed {int(np.sum(~(null | same)))} rows into something else than NULL_CAPTION")
        spread = 4 * math.sqrt(p * (1 - p) / len(captions)) + 1e-9
        if abs(null.mean() - p) > spread:
            raise AssertionError(f"{call} replaced {null.mean():.3f} of the rows; expected {p} ± {spread:.3f}, each row on its own")
    if not np.array_equal(captions, kept):
        raise AssertionError("drop_captions(captions, ...) changed the captions array it was given; return a new array")


@pytest.mark.hint(5)
def test_drop_captions_draws_from_the_given_rng_afresh_each_call(answer):
    captions = CAPTIONS
    first, second = (np.asarray(answer.drop_captions(captions, 0.5, np.random.default_rng(7))) for _ in range(2))
    if not np.array_equal(first, second):
        raise AssertionError("drop_captions with two generators seeded alike gave different rows; draw from the rng argument")
    rng = np.random.default_rng(7)
    again = [np.asarray(answer.drop_captions(captions, 0.5, rng)) for _ in range(2)]
    if np.array_equal(*again):
        raise AssertionError("two drop_captions calls on one rng dropped the same rows; draw afresh on every call")


def expect_denoising_loss(answer, reference, dropout: float, trainings: tuple[bool, ...]) -> None:
    """The answer's denoising_loss against the contract's on the same inputs, through one recording model
    with Dropout(``dropout``) (rewound before each call, so both see the same masks), for each training
    flag: the values, and the gradients for the model's weights."""
    model = built_recorder(6, dropout=dropout)
    alphas, x0, t = schedule(reference), images(6), np.array([0, 2, 4, 6, 8, 9])
    noise = np.random.default_rng(3).normal(size=x0.shape).astype(np.float32)
    captions = CAPTIONS[[0, 9, 18, 27, 36, 45]]
    args = (model, tf.constant(x0), tf.constant(captions), tf.constant(t), tf.constant(noise), alphas)
    back = rewind(model)
    for training in trainings:
        back()
        value, gradients = contract_gradients(lambda flag=training: reference.denoising_loss(*args, training=flag),
                                              model.trainable_variables)
        back()
        mine, my_gradients = contract_gradients(lambda flag=training: answer.denoising_loss(*args, training=flag),
                                                model.trainable_variables)
        call = f"denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training={training})"
        expect_close(mine, value, call, "mean over every element of (noise - model([q_sample(...), t, captions]))²")
        for variable, got, wanted in zip(model.trainable_variables, my_gradients, gradients):
            expect_close(got, wanted, f"the gradient of {call} with respect to `{variable.path}`",
                         "the loss must reach every weight through the model's prediction", atol=1e-5, rtol=1e-3)


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_denoising_loss_is_the_mse_between_noise_and_prediction(answer, reference):
    """In inference mode, on a model without Dropout (whether the flag reaches the model is the next check's)."""
    expect_denoising_loss(answer, reference, dropout=0.0, trainings=(False,))


@pytest.mark.hint(6)
def test_denoising_loss_passes_the_training_flag_on(answer, reference):
    """The checks' model has Dropout(0.5): in training mode it drops, in inference mode it does not."""
    expect_denoising_loss(answer, reference, dropout=0.5, trainings=(True, False))


@pytest.mark.hint(6)
def test_denoising_loss_runs_inside_a_tf_function(answer, reference):
    model, alphas = built_recorder(4), schedule(reference)
    args = (tf.constant(images(4)), tf.constant(CAPTIONS[:4]), tf.constant([1, 2, 3, 4]), tf.constant(images(4, seed=1)))
    eager = expect_scalar(answer.denoising_loss(model, *args, alphas), "denoising_loss(...)")
    try:  # without AutoGraph first (its source transformation is most of a trace's cost), then as tf.function does
        graph = tf.function(lambda *a: answer.denoising_loss(model, *a, alphas), autograph=False)(*args)
    except Exception:  # noqa: BLE001 - Python control flow on tensors needs AutoGraph
        try:
            graph = tf.function(lambda *a: answer.denoising_loss(model, *a, alphas))(*args)
        except Exception as exc:  # noqa: BLE001 - the learner's code failed to trace
            raise AssertionError(f"denoising_loss raised {type(exc).__name__} inside a tf.function: {exc}; "
                                 "build it from keras.ops or tf, without .numpy()") from None
    expect_close(graph, eager, "denoising_loss(...) inside a tf.function", "the same loss as when called eagerly")


@pytest.mark.points(3)
@pytest.mark.hint(7)
def test_train_step_applies_one_sgd_update_of_the_denoising_loss_at_the_drawn_inputs(answer, reference):
    """The recording model tells which timesteps, noise and captions the step drew; the step must move every
    weight by -learning_rate times the gradient of the contract's loss at exactly those."""
    batch, alphas, learning_rate = 16, schedule(reference), 0.1
    model, x0 = built_recorder(batch, dropout=0.3), images(batch)
    captions = CAPTIONS[:batch]
    back = rewind(model)
    before = snapshot(model.trainable_variables)
    optimizer = keras.optimizers.SGD(learning_rate)
    call = f"train_step(model, SGD({learning_rate}), x0 (16, 7, 7, 1), captions, alphas_cumprod, rng, p_uncond=0.5)"
    loss = expect_scalar(answer.train_step(model, optimizer, x0, captions, alphas, np.random.default_rng(0), p_uncond=0.5), call)
    seen = recorded(model)
    if seen["calls"] != 1:
        raise AssertionError(f"{call} called the model {seen['calls']} times; expected once, on the whole batch")
    if not seen["training"]:
        raise AssertionError(f"{call} called the model with training={seen['training']}; expected training=True")
    expect_one_update(optimizer, call)
    after = snapshot(model.trainable_variables)
    t, noise = tf.constant(seen["t"]), tf.constant(recovered_noise(seen, x0, alphas).astype(np.float32))
    back()
    value, gradients = contract_gradients(
        lambda: reference.denoising_loss(model, tf.constant(x0), tf.constant(seen["captions"]), t, noise, alphas, training=True),
        model.trainable_variables)
    restore(model.trainable_variables, after)
    expect_close(loss, value, f"{call} (its returned loss)", "the denoising loss at the drawn inputs, from before the update",
                 atol=1e-4, rtol=1e-3)
    expect_sgd_update(model.trainable_variables, before, gradients, learning_rate, call, "the denoising loss at the drawn inputs")


@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_train_step_draws_timesteps_uniformly_per_example(answer, reference):
    seen = recorded_steps(answer, reference)
    t = np.concatenate([s["t"] for s in seen])
    if t.min() < 0 or t.max() >= STEPS:
        raise AssertionError(f"train_step drew timesteps from {t.min()} to {t.max()}; expected 0 to {STEPS - 1} "
                             f"(len(alphas_cumprod) = {STEPS})")
    counts = np.bincount(t, minlength=STEPS)
    expected = len(t) / STEPS
    if counts.min() < expected / 2 or counts.max() > expected * 1.5:
        raise AssertionError(f"over {len(seen)} train_step calls of {len(seen[0]['t'])} examples the timesteps 0..{STEPS - 1} came {counts.tolist()} "
                             f"times; expected about {expected:.0f} each (uniform over 0 .. len(alphas_cumprod) - 1)")
    if any(len(set(s["t"].tolist())) < 2 for s in seen):
        raise AssertionError("train_step gave every example of a batch the same timestep; draw one t per example")


@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_train_step_draws_standard_normal_noise(answer, reference):
    noise = recorded_steps(answer, reference)[0]["noise"].ravel()
    tails = float(np.mean(np.abs(noise) > 2))
    if abs(noise.mean()) > 0.08 or abs(noise.std() - 1) > 0.08 or not 0.03 < tails < 0.065:
        raise AssertionError(
            f"the noise train_step mixed into x0 (read back from the noisy images) had mean {noise.mean():.3f}, std "
            f"{noise.std():.3f} and {tails:.3f} of its values beyond ±2; expected a standard normal: 0, 1 and about 0.046"
        )


@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_train_step_drops_captions_with_probability_p_uncond(answer, reference):
    null = toy_data.encode(())
    for p in (0.0, 0.5):
        seen = step_and_record(answer, reference, p_uncond=p) if p == 0.0 else recorded_steps(answer, reference)
        dropped = np.concatenate([np.all(s["captions"] == null, axis=1) for s in seen])
        kept = np.concatenate([np.all(s["captions"] == CAPTIONS[np.arange(len(s["captions"])) % 64], axis=1) for s in seen])
        if not np.all(dropped | kept):
            raise AssertionError(f"train_step(p_uncond={p}) showed the model captions that were neither the batch's nor NULL_CAPTION")
        if abs(dropped.mean() - p) > 4 * math.sqrt(p * (1 - p) / len(dropped)) + 1e-9:
            raise AssertionError(f"train_step(p_uncond={p}) replaced {dropped.mean():.3f} of {len(dropped)} captions by NULL_CAPTION; "
                                 f"expected about {p}, each row on its own")


@pytest.mark.hint(7)
def test_train_step_draws_everything_from_the_given_rng(answer, reference):
    first = recorded_steps(answer, reference)[0]
    seed_everything(1)  # other global random states than the recorded run's: only the rng argument may decide the draws
    second = step_and_record(answer, reference, batch=RECORDED_BATCH)[0]
    for key in ("t", "captions", "noise"):
        if not np.allclose(first[key], second[key], atol=1e-5):
            raise AssertionError(f"two train_step calls with generators seeded alike drew different {key}; draw everything from rng")


# Guidance, DDIM and DDPM steps, and sampling

class Oracle(keras.Model):
    """A perfect denoiser for data that is one point per condition: with a caption it predicts the noise
    that leads to ``target(caption)``, with NULL_CAPTION the noise that leads to ``unconditional``."""

    def __init__(self, alphas_cumprod, unconditional: float = -0.3, scale: float = 0.0):
        super().__init__()
        self.alphas = tf.constant(alphas_cumprod, tf.float32)
        self.unconditional, self.scale = unconditional, scale
        self.calls, self.batches, self.timesteps, self.first_noisy = 0, [], [], None

    def target(self, captions):
        """The clean image a caption stands for: a constant in (0, 0.25) from its words, or ``unconditional``
        for NULL_CAPTION (guided targets for w up to 2 stay inside [-1, 1], where clipping leaves them)."""
        captions = tf.cast(captions, tf.float32)
        null = tf.reduce_all(tf.equal(captions, tf.constant(toy_data.encode(()), tf.float32)), axis=1)
        value = tf.reduce_sum(captions, axis=1) / 100.0 - 0.2
        return tf.reshape(tf.where(null, self.unconditional, value), (-1, 1, 1, 1))

    def call(self, inputs, training=None):
        noisy, t, captions = inputs
        self.calls += 1
        if self.first_noisy is None:
            self.first_noisy = np.asarray(noisy)
        self.batches.append(int(noisy.shape[0]))
        self.timesteps.append(np.asarray(t).tolist())
        a = tf.reshape(tf.gather(self.alphas, tf.cast(t, tf.int32)), (-1, 1, 1, 1))
        return self.scale * noisy + (1 - self.scale) * (noisy - tf.sqrt(a) * self.target(captions)) / tf.sqrt(1 - a)


@pytest.mark.points(2)
@pytest.mark.hint(8)
def test_guided_epsilon_extrapolates_from_the_null_prediction_in_one_batched_call(answer, reference):
    alphas = schedule(reference)
    noisy, t, captions = images(4), np.array([1, 4, 7, 9]), CAPTIONS[[3, 17, 30, 60]]
    for weight in (0.0, 1.0, 3.0):
        model = Oracle(alphas, scale=0.3)
        call = f"guided_epsilon(model, noisy (4, 7, 7, 1), t, captions, guidance_weight={weight})"
        got = expect_shape(answer.guided_epsilon(model, tf.constant(noisy), tf.constant(t), tf.constant(captions), weight),
                           (4, SIZE, SIZE, 1), call)
        if model.calls != 1 or model.batches != [8]:
            raise AssertionError(f"{call} called the model {model.calls} time(s) on batches of {model.batches}; "
                                 "expected one call on the 8 rows of both halves")
        with_caption = as_array(model([tf.constant(noisy), tf.constant(t), tf.constant(captions)]), "model")
        without = as_array(model([tf.constant(noisy), tf.constant(t), tf.constant(np.tile(toy_data.encode(()), (4, 1)))]), "model")
        expect_close(got, without + weight * (with_caption - without), call,
                     "eps_null + w (eps_caption - eps_null): w = 0 unconditional, w = 1 conditional", atol=1e-5)


@pytest.mark.hint(8)
def test_guided_epsilon_calls_the_model_in_inference_mode(answer, reference):
    model = built_recorder(8, dropout=0.5)
    answer.guided_epsilon(model, tf.constant(images(4)), tf.constant([1, 2, 3, 4]), tf.constant(CAPTIONS[:4]), 2.0)
    if recorded(model)["training"]:
        raise AssertionError("guided_epsilon called the model with training=True; sampling runs it in inference mode")


@pytest.mark.points(2)
@pytest.mark.hint(9)
def test_ddim_step_with_the_true_noise_lands_on_the_forward_process(answer, reference):
    alphas, x0 = schedule(reference, 100), images(3)
    noise = np.random.default_rng(4).normal(size=x0.shape).astype(np.float32)
    for t, t_prev in ((99, 60), (60, 10), (10, 0), (5, -1), (0, -1)):
        noisy = reference.q_sample(x0, np.full(3, t), noise, alphas)
        call = f"ddim_step(q_sample(x0, {t}, noise), epsilon=noise, t={t}, t_prev={t_prev})"
        expected = x0 if t_prev == -1 else reference.q_sample(x0, np.full(3, t_prev), noise, alphas)
        expect_close(answer.ddim_step(noisy, tf.constant(noise), t, t_prev, alphas), expected, call,
                     "with the true noise, x0_hat is x0 and the step gives q_sample(x0, t_prev, noise); "
                     "t_prev = -1 means a_prev = 1, so it returns x0", atol=2e-3 if t == 99 else 1e-4)


@pytest.mark.points(2)
@pytest.mark.hint(9)
def test_ddim_step_matches_the_contract_in_values_and_gradients(answer, reference):
    rng = np.random.default_rng(5)
    alphas = schedule(reference, 50)
    cases = [
        Case(f"noisy and epsilon of shape {shape}, t={t}, t_prev={t_prev}",
             (rng.normal(size=shape).astype(np.float32), rng.normal(size=shape).astype(np.float32), t, t_prev, alphas), wrt=(0, 1))
        for shape, t, t_prev in (((1, 2, 2, 1), 3, 1), ((4, 7, 7, 1), 40, 20), ((4, 7, 7, 1), 1, 0), ((2, 5, 5, 1), 2, -1))
    ]
    clipped = [Case(f"{case.label}, clip_denoised=True", case.args, {"clip_denoised": True}, case.wrt) for case in cases]
    expect_matches_reference("ddim_step", answer.ddim_step, reference.ddim_step, cases + clipped,
                             "sqrt(a_prev) x0_hat + sqrt(1 - a_prev) epsilon; x0_hat clipped to [-1, 1] only when clip_denoised")


@pytest.mark.points(2)
@pytest.mark.hint(10)
def test_ddpm_step_matches_the_posterior_in_values_and_gradients(answer, reference):
    rng = np.random.default_rng(6)
    alphas = schedule(reference, 50)
    cases = [
        Case(f"noisy, epsilon and noise of shape {shape}, t={t}",
             (rng.normal(size=shape).astype(np.float32), rng.normal(size=shape).astype(np.float32), t, alphas,
              rng.normal(size=shape).astype(np.float32)), wrt=(0, 1, 4))
        for shape, t in (((1, 2, 2, 1), 0), ((3, 7, 7, 1), 1), ((3, 7, 7, 1), 25), ((2, 4, 4, 1), 49))
    ]
    expect_matches_reference(
        "ddpm_step", answer.ddpm_step, reference.ddpm_step, cases,
        "the posterior mean (x_t - beta_t / sqrt(1 - a_t) eps) / sqrt(alpha_t) plus sqrt(posterior variance) noise, "
        "and no noise at t = 0",
    )


@pytest.mark.points(3)
@pytest.mark.hint(11)
def test_sample_with_an_oracle_denoiser_returns_the_guided_target(answer, reference):
    """For the oracle, guided DDIM lands exactly on target_null + w (target_caption - target_null), whatever
    the timesteps in between, when the last step goes to t_prev = -1."""
    alphas, captions = schedule(reference, 50), CAPTIONS[[2, 21, 50]]
    for weight, num_steps in ((0.0, 5), (1.0, 5), (2.0, 12)):
        model = Oracle(alphas)
        call = f"sample(oracle, 3 captions, alphas_cumprod (50 steps), image_size=7, num_steps={num_steps}, guidance_weight={weight})"
        got = expect_finite(answer.sample(model, captions, alphas, SIZE, num_steps=num_steps, guidance_weight=weight, seed=1), call)
        expect_shape(got, (3, SIZE, SIZE, 1), call)
        target = as_array(model.target(np.tile(toy_data.encode(()), (3, 1))), "target")
        target = target + weight * (as_array(model.target(captions), "target") - target)
        expect_close(got, np.broadcast_to(target, got.shape), call,
                     "each DDIM step with the guided epsilon of a perfect denoiser keeps x0_hat on the guided target", atol=2e-3)


@pytest.mark.points(2)
@pytest.mark.hint(11)
def test_sample_visits_num_steps_timesteps_from_the_last_down_to_zero(answer, reference):
    alphas = schedule(reference, 50)
    model = Oracle(alphas)
    answer.sample(model, CAPTIONS[:2], alphas, SIZE, num_steps=8, guidance_weight=2.0, seed=0)
    firsts = [row[0] for row in model.timesteps]
    call = "sample(model, 2 captions, alphas_cumprod (50 steps), image_size=7, num_steps=8)"
    if model.calls != 8 or any(b != 4 for b in model.batches):
        raise AssertionError(f"{call} called the model {model.calls} times on batches of {model.batches}; "
                             "expected 8 calls, each on both guidance halves (4 rows)")
    if firsts[0] != 49 or firsts[-1] != 0 or any(a <= b for a, b in zip(firsts, firsts[1:])):
        raise AssertionError(f"{call} visited timesteps {firsts}; expected 8 distinct, decreasing from 49 to 0")


@pytest.mark.points(2)
@pytest.mark.hint(11)
def test_sample_starts_from_seeded_standard_normal_noise(answer, reference):
    """The model's first call shows the starting noise (the first half of its batch: the captioned copy)."""
    alphas = schedule(reference, 50)

    def start(seed: int) -> np.ndarray:
        model = Oracle(alphas)
        answer.sample(model, CAPTIONS[:32], alphas, SIZE, num_steps=4, guidance_weight=2.0, seed=seed)
        return model.first_noisy[:32]

    first = start(0)
    if abs(first.mean()) > 0.1 or abs(first.std() - 1) > 0.1:
        raise AssertionError(f"sample's starting noise (the model's first input) had mean {first.mean():.3f} and std "
                             f"{first.std():.3f}; expected a standard normal")
    if not np.allclose(start(0), first):
        raise AssertionError("sample(..., seed=0) started from different noise on two calls; draw from np.random.default_rng(seed)")
    if np.allclose(start(1), first):
        raise AssertionError("sample(..., seed=1) started from the same noise as seed=0; the seed must choose it")


@pytest.mark.points(2)
@pytest.mark.hint(11)
def test_sample_clips_the_denoised_image_at_every_step(answer, reference):
    """With a denoiser that predicts no noise, x0_hat = x / sqrt(a_t): clipped at the first step, it stays
    put, so the sample is clip(x_T / sqrt(a_(T-1)), -1, 1); unclipped, it would be x_T / sqrt(a_(T-1))."""
    alphas = schedule(reference, 50)
    silent = Oracle(alphas, scale=1.0)
    silent.call = lambda inputs, training=None: Oracle.call(silent, inputs) * 0.0
    got = as_array(answer.sample(silent, CAPTIONS[:4], alphas, SIZE, num_steps=6, guidance_weight=2.0, seed=3), "sample(...)")
    expected = np.clip(silent.first_noisy[:4] / math.sqrt(alphas[-1]), -1, 1)
    expect_close(got, expected, "sample(a denoiser that predicts zero noise, 4 captions, num_steps=6)",
                 "each DDIM step clips x0_hat = x / sqrt(a_t) to [-1, 1] (clip_denoised=True), and the last step returns it",
                 atol=1e-4)


# Learning

def pooled_scenes() -> np.ndarray:
    """The 64 toy scenes average-pooled to 7 x 7 and scaled to [-1, 1]."""
    scenes = np.stack([toy_data.render(scene) for scene in toy_data.all_scenes()])
    return scenes.reshape(64, SIZE, 4, SIZE, 4, 1).mean(axis=(2, 4)) * 2 - 1


@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(12)
def test_denoiser_learns_to_use_the_caption(answer, reference, exhibit):
    """The docstring's learning check: up to 500 Adam(3e-3) steps at 7 x 7, asking every LEARNING_EVERY steps
    whether the noise-prediction error with the true caption < 0.9 x the error with the null caption < 0.9 x
    the error with another scene's caption, and passing the first time it holds (the model answer: after 50
    steps; the sound alternatives: 150-200). A wrong caption misleads the denoiser more than no caption only
    if it learned what captions mean."""
    alphas = reference.alphas_cumprod(reference.cosine_betas(reference.TIMESTEPS))
    model, optimizer = answer.build_denoiser(image_size=SIZE), FusedAdam(3e-3)
    data, rng = pooled_scenes().astype(np.float32), np.random.default_rng(0)

    def update(x0, captions, t, noise):
        with tf.GradientTape() as tape:
            loss = answer.denoising_loss(model, x0, captions, t, noise, alphas, training=True)
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss

    step = compiled(update, ready_to_compile(optimizer, model))
    x0, t = np.repeat(data, 10, axis=0), np.tile(np.arange(30, 100, 7), 64)
    noise = np.random.default_rng(123).standard_normal(x0.shape).astype(np.float32)

    def errors() -> dict:
        return {name: expect_scalar(reference.denoising_loss(model, x0, np.repeat(captions, 10, axis=0), t, noise, alphas),
                                    f"the noise-prediction error with {name} captions")
                for name, captions in (("true", CAPTIONS), ("null", np.tile(toy_data.encode(()), (64, 1))),
                                       ("wrong", np.roll(CAPTIONS, 9, axis=0)))}

    def learned(found: dict) -> bool:
        return found["true"] < 0.9 * found["null"] and found["null"] < 0.9 * found["wrong"]

    def learned_yet() -> bool:
        """At a checkpoint: an error (a non-finite loss, say) counts as not yet; the check reports it at the end."""
        try:
            return learned(errors())
        except AssertionError:
            return False

    learned_early = False
    for number in range(1, LEARNING_STEPS + 1):
        rows = rng.integers(0, 64, 64)
        captions = reference.drop_captions(CAPTIONS[rows], 0.2, rng)
        step(tf.constant(data[rows]), tf.constant(captions), tf.constant(rng.integers(0, len(alphas), 64), tf.int32),
             tf.constant(rng.standard_normal((64, SIZE, SIZE, 1)), tf.float32))
        if number % LEARNING_EVERY == 0 and number < LEARNING_STEPS and learned_yet():
            learned_early = True  # the condition holds within the budget: no need to train on
            break
    exhibit(lambda: exhibits.pictures(
        "sample(model, caption, guidance_weight=2.0, num_steps=10) after training",
        answer.sample(model, CAPTIONS[::9], alphas, SIZE, num_steps=10, guidance_weight=2.0, seed=0), -1.0, 1.0,
        captions=[" ".join(toy_data.decode(ids)) for ids in CAPTIONS[::9]]))
    if learned_early:
        return
    found = errors()
    if not learned(found):
        raise AssertionError(
            f"after {LEARNING_STEPS} steps the noise-prediction error at timesteps 30-99 was {found['true']:.4f} with the true "
            f"captions, {found['null']:.4f} with the null caption and {found['wrong']:.4f} with other scenes' captions; "
            "expected true < 0.9 x null < 0.81 x wrong. If the checks of the loss and the denoiser pass, the model "
            "learns too slowly for this budget (keep it a small MLP at 7 x 7)"
        )
