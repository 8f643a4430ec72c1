"""Sign-in with django-axes' lock-out, and the admins' user and role pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, View

from minutes.permissions import AdminRoleMixin
from networks.models import Membership

from . import services
from .forms import MembershipForm, UserCreateForm, WelcomeMailForm


class LoginView(auth_views.LoginView):
    """Django's LoginView (it passes ``request`` to ``authenticate``, which axes needs).

    When axes locks the client out, the failed attempt sets ``request.axes_locked_out``
    and AxesMiddleware would answer with its own English plain-text page. We answer with
    a Swedish page (same 429 status) and clear the flag so the middleware leaves it be;
    the lock itself is kept by axes and refuses further attempts until it cools off.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        if getattr(request, "axes_locked_out", False):
            request.axes_locked_out = False
            return TemplateResponse(request, "registration/lockout.html", status=429)
        return response


class UserListView(AdminRoleMixin, ListView):
    template_name = "accounts/user_list.html"
    context_object_name = "users"
    paginate_by = 50

    def get_queryset(self):
        return (
            get_user_model()
            .objects.order_by("username")
            .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("network")))
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["membership_form"] = MembershipForm()
        return context


class UserCreateView(AdminRoleMixin, FormView):
    """A new account gets no password: it is sent the reset e-mail to choose one."""

    template_name = "accounts/user_form.html"
    form_class = UserCreateForm

    def form_valid(self, form: UserCreateForm) -> HttpResponse:
        user = services.user_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            network=form.cleaned_data.get("network"),
            role=form.cleaned_data.get("role") or "",
        )
        welcome = WelcomeMailForm(user=user)
        if welcome.is_valid():
            welcome.save(
                request=self.request,
                use_https=self.request.is_secure(),
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
            )
        messages.success(
            self.request,
            _("Användaren %(name)s skapades och fick ett e-postmeddelande för att välja lösenord.")
            % {"name": user.get_username()},
        )
        return redirect("accounts_users")


class MembershipSetView(AdminRoleMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_object_or_404(get_user_model(), pk=pk)
        form = MembershipForm(request.POST)
        if form.is_valid():
            services.membership_set(
                user=user, network=form.cleaned_data["network"], role=form.cleaned_data.get("role") or ""
            )
            messages.success(request, _("Rollen för %(name)s sparades.") % {"name": user.get_username()})
        else:
            messages.error(request, _("Välj ett nätverk och en roll."))
        return redirect(f"{reverse('accounts_users')}#user-{user.pk}")
