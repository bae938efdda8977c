from modeltranslation.translator import TranslationOptions, register

from .models import KnowledgeArticle


@register(KnowledgeArticle)
class KnowledgeArticleTranslationOptions(TranslationOptions):
    fields = ("title", "body")
