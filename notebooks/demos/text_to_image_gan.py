# %% [markdown]
# Train the conditional GAN for a few hundred steps on the toy scenes, then draw every caption
# of one shape. Expect blurry but placed blobs after this short a run; the loss curves show
# the tug of war between D and G.

# %%
import keras
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.notebooks import demo_steps
from mmgen.checks import compiled
from mmgen.plots import curves, image_grid

keras.utils.set_random_seed(0)
generator = build_generator(toy_data.VOCAB_SIZE)
discriminator = build_discriminator(toy_data.VOCAB_SIZE)
g_optimizer, d_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5)
data = toy_data.make_batch(1024, seed=1)
images, captions = data.images * 2.0 - 1.0, data.captions
rng = np.random.default_rng(0)
history, train = {"d_loss": [], "g_loss": []}, compiled(train_step)
for step in range(demo_steps(300)):
    idx = rng.integers(0, len(images), 32)
    z = tf.constant(rng.standard_normal((32, NOISE_DIM)), tf.float32)
    losses = train(generator, discriminator, g_optimizer, d_optimizer,
                   tf.constant(images[idx]), tf.constant(captions[idx]), z)
    for name in history:
        history[name].append(float(losses[name]))
curves(history, title="discriminator and generator losses")

# %%
scenes = [s for s in toy_data.all_scenes() if s.shape == "square"]
wanted = np.stack([toy_data.encode(s.words) for s in scenes])
image_grid(sample(generator, wanted, seed=0), [" ".join(s.words) for s in scenes], low=-1, high=1,
           title="generated squares, one per caption")
image_grid(np.stack([toy_data.render(s) for s in scenes]), [" ".join(s.words) for s in scenes],
           title="the real scenes for the same captions")
