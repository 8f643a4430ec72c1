"""Forms for accounts: password reset and (for admins) users and roles."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from networks.models import Membership, Network

ROLE_CHOICES = [("", _("– ingen roll –")), *Membership.Role.choices]


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-postadress"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class WelcomeMailForm(auth_forms.PasswordResetForm):
    """The reset e-mail for a new account, whose unusable password hides it from ``get_users``."""

    def __init__(self, *, user) -> None:
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email: str):
        return [self.user] if self.user.email else []


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    email = forms.EmailField(label=_("E-postadress"))
    network = forms.ModelChoiceField(label=_("Nätverk"), queryset=Network.objects.all(), required=False)
    role = forms.ChoiceField(label=_("Roll"), choices=ROLE_CHOICES, required=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Det finns redan en användare med det namnet."))
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        if bool(cleaned.get("network")) != bool(cleaned.get("role")):
            raise forms.ValidationError(_("Välj både nätverk och roll, eller inget av dem."))
        return cleaned


class MembershipForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Nätverk"), queryset=Network.objects.all())
    role = forms.ChoiceField(label=_("Roll"), choices=ROLE_CHOICES, required=False)
