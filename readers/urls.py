from django.urls import path

from readers import views

app_name = "readers"
urlpatterns = [
    path("read/", views.read, name="read"),
    path("paste/", views.paste, name="paste"),
]
