from django.db import migrations

# The programme of the TDTU library's training day for Khánh Hòa's THPT librarians (10/11/2018).
THEMES = (
    "Phát triển nguồn tài nguyên thông tin",
    "Tạo lập và phân phối các dịch vụ thư viện",
    "Tổ chức không gian thư viện truyền cảm hứng",
    "Kỹ năng và phẩm chất của người làm công tác thư viện",
    "Ứng dụng công nghệ trong công tác thư viện",
    "Tự đánh giá và lập kế hoạch phát triển thư viện đạt chuẩn",
)


def add_themes(apps, schema_editor):
    Theme = apps.get_model("events", "Theme")
    for order, name in enumerate(THEMES):
        Theme.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
