"""Privacy management: the client portfolio with re-check cycle, tracked actions and change alerts."""
