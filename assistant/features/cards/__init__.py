"""Answer cards: validated short answers a kennisbeheerder writes for questions staff ask."""
