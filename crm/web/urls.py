from django.urls import path

from . import sales, views

app_name = "crm"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", views.company_update, name="company_update"),
    path("companies/<int:pk>/delete/", views.company_delete, name="company_delete"),
    path("companies/<int:pk>/notes/", views.company_note_create, name="company_note_create"),
    path("pipeline/", views.pipeline_board, name="pipeline_board"),
    path("deals/<int:pk>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/move/", views.deal_move, name="deal_move"),
    path("products/", views.product_list, name="product_list"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("quotes/", sales.quote_list, name="quote_list"),
    path("quotes/new/", sales.quote_create, name="quote_create"),
    path("quotes/preview/", sales.quote_preview, name="quote_preview"),
    path("quotes/company-terms/", sales.quote_company_terms, name="quote_company_terms"),
    path("quotes/<int:pk>/", sales.quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/send/", sales.quote_send, name="quote_send"),
    path("quotes/<int:pk>/accept/", sales.quote_accept, name="quote_accept"),
    path("quotes/<int:pk>/reject/", sales.quote_reject, name="quote_reject"),
    path("quotes/<int:pk>/revise/", sales.quote_revise, name="quote_revise"),
    path("quotes/<int:pk>/order/", sales.quote_order_create, name="quote_order_create"),
    path("orders/", sales.order_list, name="order_list"),
    path("orders/<int:pk>/", sales.order_detail, name="order_detail"),
    path("orders/<int:pk>/status/", sales.order_transition, name="order_transition"),
    path("orders/<int:pk>/payments/", sales.order_payment_create, name="order_payment_create"),
]
