"""Adam for the checks' learning runs, each variable's update one fused TensorFlow operation:
``FusedAdam``, a ``keras.optimizers.Adam`` for the learner's training steps, and ``LoopAdam``,
for a training loop a check writes itself.

A learning check traces a training step once, and Keras's Adam puts about fifteen operations per
variable into that trace: for a captioner of thirty variables, half of the trace. TensorFlow's
``ResourceApplyAdam`` makes the same update in one operation::

    m += (g - m)(1 - beta_1);  v += (g² - v)(1 - beta_2)
    w -= learning_rate · √(1 - beta_2^t) / (1 - beta_1^t) · m / (√v + epsilon)
"""

from __future__ import annotations

import keras
import tensorflow as tf


def adam_settings(step, learning_rate, beta_1, beta_2, epsilon, dtype) -> dict:
    """The arguments of ``ResourceApplyAdam`` besides the variable, its moments and the gradient,
    for update number ``step`` (from 1)."""
    beta_1, beta_2 = tf.cast(beta_1, dtype), tf.cast(beta_2, dtype)
    return {"beta1_power": tf.pow(beta_1, step), "beta2_power": tf.pow(beta_2, step), "lr": tf.cast(learning_rate, dtype),
            "beta1": beta_1, "beta2": beta_2, "epsilon": tf.cast(epsilon, dtype)}


class FusedAdam(keras.optimizers.Adam):
    """``keras.optimizers.Adam`` (same arguments) with one ``ResourceApplyAdam`` per variable update.

    To the learner's code it is a ``keras.optimizers.Adam`` with the settings the contract names;
    its results agree with Keras's up to float rounding."""

    def update_step(self, gradient, variable, learning_rate):
        """Update ``variable`` and its moments in one operation. AMSGrad and sparse gradients (an
        Embedding's, whose repeated rows Keras's update treats its own way) take Keras's update."""
        if self.amsgrad or isinstance(gradient, tf.IndexedSlices):
            return super().update_step(gradient, variable, learning_rate)
        index, dtype = self._get_variable_index(variable), variable.dtype
        settings = adam_settings(tf.cast(self.iterations + 1, dtype), learning_rate, self.beta_1, self.beta_2, self.epsilon, dtype)
        tf.raw_ops.ResourceApplyAdam(var=variable.handle, m=self._momentums[index].handle, v=self._velocities[index].handle,
                                     grad=tf.convert_to_tensor(gradient, dtype), **settings)
        return None


class LoopAdam:
    """Adam with Keras's defaults over fixed float32 ``variables``, for a training loop a check writes
    itself: the step count and its powers of beta computed once per update and none of a Keras
    optimizer's per-variable bookkeeping, so that the traced step is about half as long (110
    operations against 201 for a small fusion model). Its updates are FusedAdam's to the bit for
    dense gradients; a sparse one (an Embedding's) is applied as the dense gradient it stands for,
    as textbook Adam does."""

    BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7

    def __init__(self, learning_rate: float, variables: list) -> None:
        self.learning_rate, self.variables = learning_rate, variables
        self.moments = [(tf.Variable(tf.zeros(v.shape, v.dtype)), tf.Variable(tf.zeros(v.shape, v.dtype))) for v in variables]
        self.steps = tf.Variable(0.0)

    def apply(self, gradients: list) -> None:
        """One update of every variable with its gradient; one the loss does not reach (None) keeps its value."""
        settings = adam_settings(self.steps.assign_add(1.0), self.learning_rate, self.BETA_1, self.BETA_2, self.EPSILON, tf.float32)
        for variable, (m, v), gradient in zip(self.variables, self.moments, gradients):
            if gradient is not None:
                tf.raw_ops.ResourceApplyAdam(var=variable.handle, m=m.handle, v=v.handle, grad=tf.convert_to_tensor(gradient),
                                             **settings)
