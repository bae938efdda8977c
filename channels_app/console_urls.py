from django.urls import path

from . import console_views as views

app_name = "console"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation_detail, name="inbox_conversation"),
    path("<int:pk>/messages/", views.conversation_messages, name="inbox_messages"),
    path("<int:pk>/take-over/", views.conversation_take_over, name="inbox_take_over"),
    path("<int:pk>/hand-back/", views.conversation_hand_back, name="inbox_hand_back"),
    path("<int:pk>/assign/", views.conversation_assign, name="inbox_assign"),
    path("<int:pk>/resolve/", views.conversation_resolve, name="inbox_resolve"),
    path("<int:pk>/reply/", views.conversation_reply, name="inbox_reply"),
    path("<int:pk>/note/", views.conversation_note, name="inbox_note"),
    path("<int:pk>/canned/<slug:slug>/", views.conversation_canned, name="inbox_canned"),
    path("<int:pk>/guide/", views.conversation_guide, name="inbox_guide"),
    path(
        "<int:pk>/drafts-required/",
        views.conversation_drafts_required,
        name="inbox_drafts_required",
    ),
    path(
        "<int:pk>/drafts/<int:draft_pk>/approve/", views.draft_approve, name="inbox_draft_approve"
    ),
    path("<int:pk>/drafts/<int:draft_pk>/reject/", views.draft_reject, name="inbox_draft_reject"),
]
