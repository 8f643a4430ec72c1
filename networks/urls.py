from django.urls import path

from . import views

app_name = "networks"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("natverk/<slug:slug>/", views.NetworkDetailView.as_view(), name="network_detail"),
    path("personer/", views.PersonListView.as_view(), name="person_list"),
    path("personer/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
]
