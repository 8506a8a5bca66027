# %% [markdown]
# FID and KID on the toy scenes. A fixed encoder turns each image into 49 features (the image
# average-pooled to 7 x 7: a stand-in for the Inception network that FID uses on real photos); real scenes are compared with copies degraded in
# two ways a generator can fail: noise (poor quality) and too few distinct scenes (mode
# collapse). Both distances should grow with the damage, and FID sees the collapse through
# the covariance term even though every collapsed image is a clean, real scene.

# %%
import keras
import numpy as np
import tensorflow as tf
from mmgen import toy_data
from mmgen.plots import curves, image_grid

features_of = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.AveragePooling2D(4), keras.layers.Flatten()])
real = toy_data.make_batch(512, seed=0).images
other = toy_data.make_batch(512, seed=1).images
rng = np.random.default_rng(0)
real_features = np.asarray(features_of(tf.constant(real)))
real_stats = feature_statistics(real_features)


def scores(images):
    """FID and KID of ``images`` against the real set."""
    features = np.asarray(features_of(tf.constant(images.astype(np.float32))))
    return frechet_distance(*real_stats, *feature_statistics(features)), kernel_inception_distance(real_features, features)


noise_levels = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5]
noisy = [scores(np.clip(other + rng.normal(0, level, other.shape), 0, 1)) for level in noise_levels]
kept_scenes = [64, 32, 16, 8, 4, 2]
scene_order = rng.permutation(64)
collapsed = [scores(toy_data.make_batch(512, seed=2, scenes=tuple(toy_data.all_scenes()[i] for i in scene_order[:k])).images)
             for k in kept_scenes]
curves({"FID": [f for f, _ in noisy], "KID x 100": [100 * k for _, k in noisy]},
       xlabel="noise std: " + ", ".join(map(str, noise_levels)), title="more noise, larger distances")
curves({"FID": [f for f, _ in collapsed], "KID x 100": [100 * k for _, k in collapsed]},
       xlabel="distinct scenes generated: " + ", ".join(map(str, kept_scenes)), title="fewer modes, larger distances")
image_grid(np.concatenate([other[:8], np.clip(other[:8] + rng.normal(0, 0.3, other[:8].shape), 0, 1)]),
           title="real scenes, and the same with noise of std 0.3")

# %% [markdown]
# BLEU and WER on captions. Start from the true captions of the 64 scenes and damage a
# growing fraction of their words (each damaged word swapped for a random vocabulary word),
# the way a weak captioner or recogniser would. BLEU falls and WER rises; note how BLEU
# drops faster, because one wrong word breaks every n-gram that contains it.

# %%
scenes = toy_data.all_scenes()
references = [[list(s.words)] for s in scenes]
word_pool = list(toy_data.VOCAB[3:])
rates = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7]
bleu, wer = [], []
for rate in rates:
    damaged = [[w if rng.random() >= rate else str(rng.choice(word_pool)) for w in s.words] for s in scenes]
    bleu.append(corpus_bleu(references, damaged, smooth=True))
    wer.append(word_error_rate([" ".join(s.words) for s in scenes], [" ".join(d) for d in damaged]))
curves({"BLEU-4 (smoothed)": bleu, "WER": wer}, xlabel="fraction of damaged words: " + ", ".join(map(str, rates)),
       title="caption metrics as words go wrong")
print(edit_operations("large circle top left".split(), "large square left".split()))

# %% [markdown]
# CLIP score and zero-shot accuracy with made-up embeddings: images and captions share a
# direction per scene plus noise. As the noise grows, matching pairs agree less (CLIP score
# falls) and the right caption stops winning (zero-shot accuracy falls towards 1/64).

# %%
directions = rng.normal(size=(64, 32))
noise_scales = [0.0, 0.5, 1.0, 2.0, 4.0]
clip, accuracy = [], []
for scale in noise_scales:
    image_embeddings = directions + scale * rng.normal(size=directions.shape)
    text_embeddings = directions + scale * rng.normal(size=directions.shape)
    clip.append(clip_score(image_embeddings, text_embeddings))
    normalised = [e / np.linalg.norm(e, axis=1, keepdims=True) for e in (image_embeddings, text_embeddings)]
    accuracy.append(zero_shot_accuracy(normalised[0] @ normalised[1].T, np.arange(64)))
curves({"CLIP score": clip, "zero-shot accuracy": accuracy},
       xlabel="embedding noise: " + ", ".join(map(str, noise_scales)), title="image-text agreement as embeddings drift")
