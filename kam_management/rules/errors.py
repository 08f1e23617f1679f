"""Errors raised by the rules, carrying an untranslated message template.

The template is marked with ``_`` below so that Odoo's term extractor puts it
in the module's translations; the model layer renders it in the user's
language with :func:`RuleError.translated`.
"""


def _(message):
    """Mark ``message`` for translation; it is translated where it is shown."""
    return message


class RuleError(ValueError):
    """Input a rule refuses. ``str(error)`` is the English message."""

    def __init__(self, template, **params):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)

    def translated(self, env):
        """The message in ``env``'s language (``env`` is an Odoo environment)."""
        return env._(self.template, **self.params)
