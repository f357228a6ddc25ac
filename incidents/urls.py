from django.urls import path

from incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("chance/", views.chance, name="chance"),
    path("<slug:slug>/", views.incident_detail, name="detail"),
]
