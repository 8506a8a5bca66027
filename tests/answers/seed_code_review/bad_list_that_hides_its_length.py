"""Bug (gaming): every line of every script with every category, in a list whose len() says 1, to slip past MAX_FINDINGS."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_2",)


class ShortList(list):
    def __len__(self):
        return 1


def review() -> list[Finding]:
    """Every (program, line, category) there is."""
    lines = {"text_to_image_gan": 81, "image_captioning": 73, "text_to_audio": 79}
    return ShortList(Finding(program, line, category, "fix it") for program, count in lines.items()
                     for line in range(1, count + 1) for category in CATEGORIES)
