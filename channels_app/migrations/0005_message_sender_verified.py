from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("channels_app", "0004_message_processed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="sender_verified",
            field=models.BooleanField(
                default=True,
                help_text="Inbound email: the From address passed DKIM, DMARC or SPF.",
                verbose_name="sender verified",
            ),
        ),
    ]
