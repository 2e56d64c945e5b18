"""Comparability: status vocabulary and inference, indicators — pure functions over parsed rows."""
