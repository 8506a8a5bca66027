# %% [markdown]
# The forward process: one toy scene noised to later and later timesteps with your `q_sample`,
# under the cosine schedule, and how much signal each schedule keeps (alphas_cumprod) along
# the way. The linear schedule, designed for 1000 steps of large images, is nearly pure noise
# long before the end when it has only 100.

# %%
import keras
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.plots import curves, image_grid

keras.utils.set_random_seed(0)
cosine = alphas_cumprod(cosine_betas(TIMESTEPS))
linear = alphas_cumprod(linear_betas(TIMESTEPS))
curves({"cosine": cosine.tolist(), "linear": linear.tolist()}, xlabel="timestep t",
       title="alphas_cumprod: the share of the signal's variance left at t")
scene = toy_data.render(toy_data.all_scenes()[13])[None] * 2 - 1
shown_t = [0, 10, 25, 40, 55, 70, 85, 99]
noisy = q_sample(np.repeat(scene, len(shown_t), 0), np.array(shown_t), np.random.default_rng(0).standard_normal((len(shown_t), 28, 28, 1)), cosine)
image_grid(np.asarray(noisy), titles=[f"t = {t}" for t in shown_t], low=-1, high=1, title="q_sample of one scene")

# %% [markdown]
# Train your denoiser with your `train_step` on the 64 scenes average-pooled to 7 x 7 (the
# learning check's setting: at 28 x 28 a denoiser needs far longer than a CPU demo), with a
# fifth of the captions dropped so that the same network also learns the unconditional
# prediction that guidance needs.

# %%
scenes = toy_data.all_scenes()
pooled = np.stack([toy_data.render(s) for s in scenes]).reshape(64, 7, 4, 7, 4, 1).mean(axis=(2, 4)) * 2 - 1
captions = np.stack([toy_data.encode(s.words) for s in scenes])
denoiser, optimizer = build_denoiser(image_size=7), keras.optimizers.Adam(3e-3)
rng, losses = np.random.default_rng(0), []
for _ in range(demo_steps(1000)):
    rows = rng.integers(0, 64, 64)
    losses.append(float(train_step(denoiser, optimizer, pooled[rows].astype(np.float32), captions[rows], cosine, rng)))
smoothed = np.convolve(losses, np.ones(10) / 10, mode="valid")
curves({"denoising loss (mean of 10 steps)": smoothed.tolist()}, title="noise-prediction error while training")

# %% [markdown]
# What the denoiser learned: noise the training scenes to t = 40, and let the model predict the
# clean image in one shot, x0_hat = (x_t - sqrt(1 - a_t) eps) / sqrt(a_t) (a DDIM step to
# t_prev = -1), given the true caption, the null caption, or another scene's caption. With the
# true caption the shape should come back where it was; a wrong caption drags it elsewhere.

# %%
picked = [0, 9, 18, 27, 36, 45, 54, 63]
names = [" ".join(scenes[i].words) for i in picked]
x0 = pooled[picked].astype(np.float32)
t40 = np.full(len(picked), 40)
eps = np.random.default_rng(1).standard_normal(x0.shape).astype(np.float32)
x40 = q_sample(x0, t40, eps, cosine)
image_grid(x0, titles=names, low=-1, high=1, title="the training scenes, 7 x 7")
image_grid(np.asarray(x40), titles=names, low=-1, high=1, title="noised to t = 40")
for label, given in (("true", captions[picked]), ("null", np.tile(NULL_CAPTION, (len(picked), 1))),
                     ("wrong", captions[np.roll(picked, 1)])):
    predicted = denoiser([x40, tf.constant(t40, tf.int32), tf.constant(given)])
    image_grid(np.clip(np.asarray(ddim_step(x40, predicted, 40, -1, cosine)), -1, 1), titles=names, low=-1, high=1,
               title=f"x0_hat from t = 40 with the {label} caption")

# %% [markdown]
# Guided DDIM samples from pure noise, 20 steps, for the same captions at three guidance weights
# (shown clipped to [-1, 1]). A model this small, trained for a minute on a CPU, draws rough
# blobs; count how often the blob's centre lands within one pixel of the captioned position:
# guidance (w >= 1) should beat the unconditional samples (w = 0) clearly.

# %%
def centre(images):
    weights = np.clip((np.asarray(images)[..., 0] + 1) / 2, 0, None) + 1e-9
    rows, cols = np.mgrid[0:7, 0:7]
    return (weights * rows).sum((1, 2)) / weights.sum((1, 2)), (weights * cols).sum((1, 2)) / weights.sum((1, 2))


true_rows, true_cols = centre(pooled)
for weight in (0.0, 1.0, 3.0):
    samples = sample(denoiser, captions, cosine, 7, num_steps=20, guidance_weight=weight, seed=0)
    rows, cols = centre(np.clip(samples, -1, 1))
    hits = np.mean((np.abs(rows - true_rows) < 1) & (np.abs(cols - true_cols) < 1))
    image_grid(np.clip(samples[picked], -1, 1), titles=names, low=-1, high=1,
               title=f"guidance weight {weight}: {hits:.0%} of the 64 samples centred where the caption says")
