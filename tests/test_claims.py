"""Sentences tied to their numbers: say() renders them, claim() fails on a contradiction."""
import pytest

from course_tools.claims import claim, say, speed, two_digits


def test_say_renders_markdown_from_the_numbers():
    shown = say("The loop took {ms:.1f} ms, {words}.", ms=12.34, words=speed(3.0))
    assert shown._repr_markdown_() == "The loop took 12.3 ms, 3.0× faster."


def test_a_claim_that_holds_is_silent():
    claim("the gap widens", 400 > 300, at_1e3=300.0, at_1e5=400.0)


def test_a_contradicted_claim_fails_with_its_name_and_the_numbers():
    with pytest.raises(AssertionError) as error:
        claim("the gap widens with n", 350.0 > 381.0, at_1e5=381.0, at_1e6=350.0)
    message = str(error.value)
    assert "'the gap widens with n'" in message and "at_1e5 = 381" in message and "at_1e6 = 350" in message


@pytest.mark.parametrize("ratio, words", [(0.9, "1.1× slower"), (0.5, "2.0× slower"),
                                          (1.03, "about as fast (1.0×)"), (0.97, "about as fast (0.97×)"),
                                          (4.123, "4.1× faster"), (381.2, "380× faster"),
                                          (1653.0, "1,700× faster")])
def test_speed_says_a_loss_as_a_loss_with_two_significant_digits(ratio, words):
    assert speed(ratio) == words


@pytest.mark.parametrize("x, text", [(0.93, "0.93"), (15.6, "16"), (2.03, "2.0"), (9.96, "10"),
                                     (40_900.0, "41,000")])
def test_two_digits(x, text):
    assert two_digits(x) == text
