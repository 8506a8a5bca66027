"""Bug: sample never clips x0_hat (it calls ddim_step without clip_denoised=True), so a poor noise prediction at the
first, nearly pure-noise step is divided by sqrt(a_t) and blows the sample up."""

import numpy as np
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_sample_clips_the_denoised_image_at_every_step",)


def sample(model, captions, alphas_cumprod, image_size: int, num_steps: int = 20,
           guidance_weight: float = GUIDANCE_WEIGHT, seed: int = 0) -> np.ndarray:  # noqa: F821
    """Guided DDIM sampling, without clipping x0_hat."""
    captions = ops.convert_to_tensor(np.asarray(captions), "int32")
    n = int(captions.shape[0])
    x = ops.convert_to_tensor(np.random.default_rng(seed).standard_normal((n, image_size, image_size, 1)), "float32")
    steps = np.round(np.linspace(len(alphas_cumprod) - 1, 0, num_steps)).astype(int).tolist()
    for t, t_prev in zip(steps, steps[1:] + [-1]):
        epsilon = guided_epsilon(model, x, ops.full((n,), t, dtype="int32"), captions, guidance_weight)  # noqa: F821
        x = ddim_step(x, epsilon, t, t_prev, alphas_cumprod)  # noqa: F821
    return np.asarray(x)
