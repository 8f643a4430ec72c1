"""factory_boy factories for the domain models; shared by every test module."""

from __future__ import annotations

import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model

from decisions.models import Assignment, Decision
from minutes.models import AgendaItem, Meeting, SourceDocument
from networks.models import Membership, Network, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("lösenord-för-test")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testnätverket {n}")
    slug = factory.Sequence(lambda n: f"testnatverket-{n}")
    short_name = ""
    aliases = factory.LazyFunction(list)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("name", "organization")

    name = factory.Sequence(lambda n: f"Person {n}")
    organization = "Region Dalarna"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Membership.Role.READER


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    original_name = factory.Sequence(lambda n: f"minnesanteckningar-{n}.txt")
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"document {n}".encode()).hexdigest())
    mime_type = "text/plain"
    size = 1024
    extracted_text = "Minnesanteckningar"
    read_method = SourceDocument.ReadMethod.TEXT
    status = SourceDocument.Status.READY
    network = factory.SubFactory(NetworkFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    # One meeting per network and day is a constraint, so spread the dates.
    date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    start_time = datetime.time(9, 30)
    end_time = datetime.time(14, 0)
    title = factory.LazyAttribute(lambda o: f"Minnesanteckningar {o.network.name} {o.date:%Y-%m-%d}")
    source_document = None


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Ärende {n + 1}")
    presenters = factory.LazyFunction(list)
    status = AgendaItem.Status.HANDLED
    order = factory.Sequence(lambda n: n)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    item = factory.SubFactory(AgendaItemFactory)
    order = factory.Sequence(lambda n: n)
    text = "att godkänna informationen och lägga den till handlingarna."
    kind = Decision.Kind.FILE
    is_formal = True


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An open task; pass ``assignees=[person, ...]`` to link persons."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    item = factory.SubFactory(AgendaItemFactory)
    decision = None
    assignees_text = "Styrgruppen"
    task = "ta fram förslag på fortsatt arbete"
    due_date = None
    status = Assignment.Status.OPEN
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def assignees(self, create: bool, extracted: list[Person] | None, **kwargs: object) -> None:
        if create and extracted:
            self.assignees.set(extracted)
