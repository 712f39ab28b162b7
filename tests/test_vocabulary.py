"""Controlled lists keep their own labels even when two share a value."""

from app.people.vocabulary import Gender, Minority, Sector


def test_equal_values_of_two_lists_keep_their_own_labels(app):
    with app.test_request_context():
        assert Sector.OTHER == Gender.OTHER  # both are the string "other"
        assert Sector.OTHER.label == "Other"
        assert Gender.OTHER.label == "Another gender"
        assert Minority.UNDISCLOSED.label == Gender.UNDISCLOSED.label == "Prefers not to say"
