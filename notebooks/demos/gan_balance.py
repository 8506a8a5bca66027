# %% [markdown]
# Two short GAN runs on the toy scenes with the same generator, the same optimizers and the
# same data. The first uses a plain discriminator and no balancing: within a few dozen steps
# D tells every real image from every fake one, its accuracy sits at 100 % and `diagnose`
# calls it "overpowering". The second wraps D's layers in spectral normalisation, smooths the
# real targets to 0.8 and adds instance noise that decays to zero: D stays below the
# overpowering line and the generator keeps getting a gradient it can use.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.plots import image_grid

images = toy_data.make_batch(1024, seed=1).images * 2.0 - 1.0  # the GAN works in [-1, 1]
runs = {
    "plain": (False, BalanceConfig(batch_size=32)),
    "balanced": (True, BalanceConfig(real_smoothing=0.2, noise_start=0.7, noise_decay_steps=150, batch_size=32)),
}
histories, generators = {}, {}
for name, (spectral_norm, config) in runs.items():
    keras.utils.set_random_seed(0)
    generators[name] = build_generator()
    discriminator = build_discriminator(spectral_norm=spectral_norm)
    histories[name] = train(generators[name], discriminator, keras.optimizers.Adam(1e-3, beta_1=0.5),
                            keras.optimizers.Adam(1e-3, beta_1=0.5), images, steps=demo_steps(150), config=config, seed=0)
    print(f"{name:>8}: {config}\n          diagnosis: {diagnose(histories[name]['d_accuracy'])}")

# %% [markdown]
# The logs an engineer would look at: both losses, D's accuracy with the two thresholds of
# `diagnose` (the shaded band is "balanced"), and the instance-noise schedule.

# %%
fig, axes = plt.subplots(2, 2, figsize=(11, 6), sharex=True)
for row, (name, history) in enumerate(histories.items()):
    left, right = axes[row]
    left.plot(history["d_loss"], label="d_loss")
    left.plot(history["g_loss"], label="g_loss")
    left.set_title(f"{name}: losses")
    left.legend()
    right.plot(history["d_accuracy"], label="D accuracy")
    right.plot(history["noise_std"], label="instance-noise std")
    right.axhspan(COLLAPSED, OVERPOWERING, color="green", alpha=0.1)
    right.axhline(OVERPOWERING, color="red", linestyle="--", linewidth=0.8)
    right.axhline(COLLAPSED, color="gray", linestyle="--", linewidth=0.8)
    right.set_ylim(-0.05, 1.05)
    right.set_title(f"{name}: diagnose -> {diagnose(history['d_accuracy'])!r}")
    right.legend(loc="lower right")
for ax in axes[1]:
    ax.set_xlabel("generator step")
fig.tight_layout()
plt.show()

# %% [markdown]
# Samples after 150 steps (the same noise for both generators), below real scenes. Starved of
# gradient, the plain generator tends to draw one and the same pattern for every z; the
# balanced one gives rough blobs this early, but it is still moving towards the data.

# %%
z = tf.constant(np.random.default_rng(0).standard_normal((8, NOISE_DIM)), tf.float32)
rows = [images[:8]] + [np.asarray(generators[name](z, training=False)) for name in runs]
image_grid(np.concatenate(rows), ["real"] * 8 + [name for name in runs for _ in range(8)], low=-1, high=1,
           title="real scenes, then the plain and the balanced generator")
