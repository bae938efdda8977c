"""Sign-in and sign-out, outside the `crm` namespace: settings name them plainly
(LOGIN_URL = "login", LOGOUT_REDIRECT_URL = "login")."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
