"""Create the three networks the project starts with; reversible (deletes only these slugs)."""

from django.db import migrations

NETWORKS = [
    {
        "slug": "chefsnatverket",
        "name": "Chefsnätverket",
        "short_name": "",
        "aliases": [
            "Länsnätverket för förvaltningschefer",
            "Länsnätverk förvaltningschefer inom hälsa och välfärd",
            "Chefsnätverket",
        ],
    },
    {
        "slug": "valfardsradet",
        "name": "Välfärdsrådet",
        "short_name": "VFR",
        "aliases": ["Välfärdsrådet"],
    },
    {
        "slug": "schnv",
        "name": "Socialchefsnätverket",
        "short_name": "SCHNV",
        "aliases": ["Socialchefsnätverket", "Socialchefsnätverket (SCHNV)"],
    },
]


def create_networks(apps, schema_editor):
    Network = apps.get_model("networks", "Network")
    for data in NETWORKS:
        defaults = {key: value for key, value in data.items() if key != "slug"}
        # get_or_create: a network someone already made by hand is left as it is.
        Network.objects.get_or_create(slug=data["slug"], defaults=defaults)


def delete_networks(apps, schema_editor):
    Network = apps.get_model("networks", "Network")
    Network.objects.filter(slug__in=[data["slug"] for data in NETWORKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_networks, delete_networks),
    ]
