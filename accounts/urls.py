"""Sign-in, sign-out, password reset and (for admins) user management under /konto/.

No ``app_name``: Django's auth views and ``LOGIN_URL = "login"`` use the plain names
(``login``, ``logout``, ``password_reset_done`` …), so these URLs are not namespaced.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import PasswordResetForm

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/aterstall/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "losenord/byt/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("losenord/byt/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("anvandare/", views.UserListView.as_view(), name="accounts_users"),
    path("anvandare/ny/", views.UserCreateView.as_view(), name="accounts_user_create"),
    path("anvandare/<int:pk>/roller/", views.MembershipSetView.as_view(), name="accounts_membership_set"),
]
