from django.urls import path

from markets import views

app_name = "markets"
urlpatterns = [
    path("<slug:slug>/markets/", views.market_list, name="list"),
    path("<slug:slug>/markets/<str:symbol>/", views.market_detail, name="detail"),
]
