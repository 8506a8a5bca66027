# %% [markdown]
# Why the non-saturating loss? Plot both generator losses, and their slopes, against the
# discriminator's logit on a generated image. Early in training D rejects fakes (logits far
# below 0): there the minimax loss log(1 - σ(x)) is flat, the non-saturating -log σ(x) is not.

# %%
import numpy as np
import tensorflow as tf
from mmgen.plots import curves

logits = tf.Variable(np.linspace(-8, 8, 161, dtype=np.float32))
with tf.GradientTape(persistent=True) as tape:
    non_saturating = sigmoid_cross_entropy(logits, tf.ones_like(logits))
    minimax = -sigmoid_cross_entropy(logits, tf.zeros_like(logits))
curves(
    {
        "non-saturating: -log σ(x)": non_saturating.numpy().tolist(),
        "minimax: log(1 - σ(x))": minimax.numpy().tolist(),
        "slope of non-saturating": tape.gradient(non_saturating, logits).numpy().tolist(),
        "slope of minimax": tape.gradient(minimax, logits).numpy().tolist(),
    },
    xlabel="index of the logit, from -8 (D sure it is fake) to +8",
    title="generator losses and their gradients",
)

# %% [markdown]
# One-sided label smoothing: how the discriminator loss changes with the smoothing amount.

# %%
real, fake = tf.constant([3.0, 2.0, 4.0]), tf.constant([-3.0, -2.0, -4.0])
amounts = np.linspace(0, 0.3, 13)
curves({"D loss": [float(discriminator_loss(real, fake, real_smoothing=float(s))) for s in amounts]},
       xlabel="smoothing step (0 to 0.3)", title="a confident D pays more as smoothing grows")
