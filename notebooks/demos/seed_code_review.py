# %% [markdown]
# Your review next to the code. Each script is printed with its line numbers, and under every
# line that one of your findings names comes the category and the fix you gave. Read it as your
# interviewer will: does each note say what goes wrong and how to fix it?

# %%
from mmgen.paths import REPO

BROKEN = REPO / "exercises" / "review_programs"
CORRECTED = REPO / "solutions" / "review_programs"


def show_review(program: str, findings) -> None:
    """Print ``program`` with line numbers; under each line a finding names, its category and fix."""
    notes: dict[int, list[str]] = {}
    for finding_program, line, category, fix in findings:
        if finding_program == program:
            notes.setdefault(line, []).append(f"{category}: {fix}")
    print(f"===== {program}.py ({sum(map(len, notes.values()))} findings)")
    for number, text in enumerate((BROKEN / f"{program}.py").read_text().splitlines(), start=1):
        print(f"{number:3d}  {text}")
        for note in notes.get(number, []):
            print(f"     >>> {note}")


your_findings = review()
for name in PROGRAMS:
    show_review(name, your_findings)

# %% [markdown]
# **Spoilers below: run these cells after your review.** First, two of the quiet mistakes made
# visible. A discriminator that ends in a sigmoid, scored by a loss that expects logits, sees
# every probability squashed a second time: its loss for real images can never fall below
# softplus(-1) = 0.31, and the slope that should push a confident mistake back is capped.

# %%
import numpy as np
from mmgen import toy_data
from mmgen.plots import curves, waveform_and_spectrogram

logits = np.linspace(-8, 8, 161)


def from_logits_loss(scores):
    """Binary cross-entropy for target 1 of scores read as logits: softplus(-scores)."""
    return np.logaddexp(0.0, -scores)


curves({"Dense(1): the loss reads logits": list(from_logits_loss(logits)),
        "Dense(1, sigmoid): probabilities read as logits": list(from_logits_loss(1 / (1 + np.exp(-logits))))},
       xlabel="the discriminator's pre-activation, -8 to 8", title="loss on a real image (target 1)")

# %% [markdown]
# The text-to-audio script cuts each clip into per-word frames with
# `reshape(-1, TONE_SAMPLES, MAX_WORDS).transpose(0, 2, 1)`. The result has the right shape, so
# nothing crashes, but each "frame" takes every fourth sample of the whole clip: all four words'
# tones, aliased. The corrected `reshape(-1, MAX_WORDS, TONE_SAMPLES)` keeps one word per frame.

# %%
clip = toy_data.make_batch(1, seed=0).audio
interleaved = clip.reshape(-1, toy_data.TONE_SAMPLES, toy_data.MAX_WORDS).transpose(0, 2, 1)[0, 0]
consecutive = clip.reshape(-1, toy_data.MAX_WORDS, toy_data.TONE_SAMPLES)[0, 0]
waveform_and_spectrogram(consecutive, toy_data.SAMPLE_RATE, title="frame 1, consecutive samples: the first word's tone")
waveform_and_spectrogram(interleaved, toy_data.SAMPLE_RATE, title="frame 1, interleaved samples: every word at once, aliased")

# %% [markdown]
# The corrected scripts side by side with the broken ones: every changed line, with two lines of
# context. (Some mistakes are fixed on a different line from the one that shows them: the
# generator's unused caption vector is computed on line 30 and should be read on line 31.)

# %%
import difflib

from IPython.display import HTML, display

for name in PROGRAMS:
    broken, corrected = ((folder / f"{name}.py").read_text().splitlines() for folder in (BROKEN, CORRECTED))
    display(HTML(difflib.HtmlDiff(wrapcolumn=60).make_table(broken, corrected, f"{name}.py as given", "corrected",
                                                            context=True, numlines=2)))
