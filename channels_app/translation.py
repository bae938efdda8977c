from modeltranslation.translator import TranslationOptions, register

from .models import CannedResponse


@register(CannedResponse)
class CannedResponseTranslationOptions(TranslationOptions):
    fields = ("title", "body")
