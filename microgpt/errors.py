"""The one exception type for a user's mistake, so the command line can print it as a single line."""


class MicrogptError(Exception):
    """Bad input (data, configuration, weights file): the message says what is wrong and what to do."""
