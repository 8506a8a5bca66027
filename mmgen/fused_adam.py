"""Adam for the checks' learning runs: a ``keras.optimizers.Adam`` whose update of each variable is
one fused TensorFlow operation.

A learning check traces the learner's training step once, and Keras's Adam puts about fifteen
operations per variable into that trace: for a captioner of thirty variables, half of the trace.
TensorFlow's ``ResourceApplyAdam`` makes the same update in one operation::

    m += (g - m)(1 - beta_1);  v += (g² - v)(1 - beta_2)
    w -= learning_rate · √(1 - beta_2^t) / (1 - beta_1^t) · m / (√v + epsilon)

To the learner's code it is a ``keras.optimizers.Adam`` with the settings the contract names;
its results agree with Keras's up to float rounding (sparse gradients take Keras's own update).
"""

from __future__ import annotations

import keras
import tensorflow as tf


class FusedAdam(keras.optimizers.Adam):
    """``keras.optimizers.Adam`` (same arguments) with one ``ResourceApplyAdam`` per variable update."""

    def update_step(self, gradient, variable, learning_rate):
        """Update ``variable`` and its moments in one operation. AMSGrad and sparse gradients (an
        Embedding's, whose repeated rows Keras's update treats its own way) take Keras's update."""
        if self.amsgrad or isinstance(gradient, tf.IndexedSlices):
            return super().update_step(gradient, variable, learning_rate)
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        step = tf.cast(self.iterations + 1, dtype)
        beta_1, beta_2 = tf.cast(self.beta_1, dtype), tf.cast(self.beta_2, dtype)
        tf.raw_ops.ResourceApplyAdam(
            var=variable.handle, m=self._momentums[index].handle, v=self._velocities[index].handle,
            beta1_power=tf.pow(beta_1, step), beta2_power=tf.pow(beta_2, step), lr=tf.cast(learning_rate, dtype),
            beta1=beta_1, beta2=beta_2, epsilon=tf.cast(self.epsilon, dtype), grad=tf.convert_to_tensor(gradient, dtype),
        )
        return None
