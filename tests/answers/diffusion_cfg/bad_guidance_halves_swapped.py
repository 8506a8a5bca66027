"""Bug: guided_epsilon stacks the captions before the null captions but reads the first half of the output as the unconditional prediction."""

import numpy as np  # noqa: F401
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = (
    "test_guided_epsilon_extrapolates_from_the_null_prediction_in_one_batched_call",
    "test_sample_with_an_oracle_denoiser_returns_the_guided_target",
)


def guided_epsilon(model, noisy, t, captions, guidance_weight: float):
    """eps_null + w (eps_caption - eps_null), both from one batched call."""
    noisy = ops.cast(noisy, "float32")
    t = ops.cast(t, "int32")
    captions = ops.cast(captions, "int32")
    null = ops.broadcast_to(ops.convert_to_tensor(NULL_CAPTION, "int32"), ops.shape(captions))  # noqa: F821
    both = model([ops.concatenate([noisy, noisy], 0), ops.concatenate([t, t], 0), ops.concatenate([captions, null], 0)],
                 training=False)
    without, with_caption = ops.split(both, 2, axis=0)
    return without + guidance_weight * (with_caption - without)
