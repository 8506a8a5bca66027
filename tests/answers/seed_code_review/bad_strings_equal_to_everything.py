"""Bug (gaming): one finding per line whose category is a str that compares equal to every category."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_2",)


class AnyCategory(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return hash("condition-ignored")


def review() -> list[Finding]:
    """One finding per line of the lines most likely to hold a mistake, with a wildcard category."""
    lines = [31, 32, 33, 45, 63, 64, 76]
    return [Finding("text_to_image_gan", line, AnyCategory("condition-ignored"), "fix it") for line in lines]
