/**
 * The lived-in project (issue 15): what users add to a generated project in their first week, the way they add it,
 * applied to every combination right after `sync`, so every later step runs on a project with a real app in it.
 * One list of edits (LIVED_IN), each done with the tool a user would use: `uv add`, Django's own `startapp` and
 * `makemigrations` (through the project's manage.py), an editor for the rest. A new step needs to know nothing of
 * it; the few steps that check the app itself read what it added from APP.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Combination } from '../combinations.js';
import type { Context } from './context.js';
import { mustRun, StepFailure } from './exec.js';
import type { Step } from './step.js';

/** What the lived-in edits add, for the steps that check it (the admin, the upload, the view). */
export const APP = {
  label: 'library',
  /** The admin's model path under ADMIN_URL. */
  adminModel: 'library/book/',
  /** The login-required view, and where it sends visitors (LOGIN_URL, appended to base.py: the admin's login). */
  view: '/library/',
  loginUrl: 'login/',
  /** The setting appended to base.py, its variable in .env.example. */
  setting: 'LIBRARY_PAGE_SIZE',
  /** The process type of the user's own in the Procfile. */
  process: 'digest',
  /** Packages `uv add`ed: Pillow for the ImageField, and an ordinary dependency. */
  packages: ['pillow', 'requests'],
} as const;

interface Edit {
  what: string;
  when?: (c: Combination) => boolean;
  run(ctx: Context): Promise<void> | void;
}

const MODELS = `from django.conf import settings
from django.db import models


class Book(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="books"
    )
    title = models.CharField(max_length=200)
    cover = models.ImageField(upload_to="covers/")
    manuscript = models.FileField(upload_to="manuscripts/", blank=True)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added"]

    def __str__(self) -> str:
        return self.title
`;

const ADMIN = `from django.contrib import admin

from .models import Book


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "added"]
    search_fields = ["title"]
`;

const VIEWS = `from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render


@login_required
def my_books(request):
    books = Paginator(request.user.books.all(), settings.LIBRARY_PAGE_SIZE)
    page = books.get_page(request.GET.get("page"))
    return render(request, "library/my_books.html", {"page": page})
`;

const TEMPLATE = `<!doctype html>
<title>My books</title>
<h1>My books</h1>
<ul>
  {% for book in page %}
    <li>{{ book.title }} <img src="{{ book.cover.url }}" alt=""></li>
  {% empty %}
    <li>No books yet.</li>
  {% endfor %}
</ul>
`;

const URLS = `from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.my_books, name="my_books"),
]
`;

const TASKS = `import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def reading_minutes(pages: int, words_per_page: int) -> int:
    """Minutes it takes to read the pages, at 250 words a minute."""
    minutes = -(-pages * words_per_page // 250)
    logger.info("%s pages take %s minutes", pages, minutes)
    return minutes
`;

const DIGEST = `from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Count


class Command(BaseCommand):
    help = "How many books each reader has."

    def handle(self, *args, **options):
        readers = get_user_model().objects.annotate(count=Count("books"))
        for reader in readers.filter(count__gt=0):
            self.stdout.write(f"{reader}: {reader.count}")
`;

const TESTS = `import pytest
from django.urls import reverse

from library.models import Book


@pytest.mark.django_db
def test_my_books_needs_a_login(client) -> None:
    response = client.get(reverse("library:my_books"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_my_books_lists_mine_only(client, django_user_model) -> None:
    me = django_user_model.objects.create_user("reader", password="a-long-password")
    other = django_user_model.objects.create_user("other", password="a-long-password")
    Book.objects.create(owner=me, title="Mine", cover="covers/mine.png")
    Book.objects.create(owner=other, title="Theirs", cover="covers/theirs.png")
    client.force_login(me)
    response = client.get(reverse("library:my_books"))
    assert response.status_code == 200
    assert b"Mine" in response.content
    assert b"Theirs" not in response.content
`;

/** Replace the one occurrence of `find` in a project file (as an editor would), or fail naming the file. */
function edit(ctx: Context, file: string, find: string | RegExp, replace: string): void {
  const text = ctx.read(file);
  const matches = typeof find === 'string' ? text.split(find).length - 1 : (text.match(new RegExp(find, 'gm')) ?? []).length;
  if (matches !== 1) throw new StepFailure(`lived-in: expected one ${find} in ${file}, found ${matches}`);
  writeFileSync(ctx.file(file), text.replace(find, replace));
}

function write(ctx: Context, file: string, text: string): void {
  mkdirSync(path.dirname(ctx.file(file)), { recursive: true });
  writeFileSync(ctx.file(file), text);
}

function append(ctx: Context, file: string, text: string): void {
  write(ctx, file, ctx.read(file) + text);
}

/** `python manage.py ...` the way a developer runs it, against the database their .env points at. */
function manage(ctx: Context, args: string[], what: string) {
  return mustRun('python', ['manage.py', ...args], { cwd: ctx.project, env: ctx.venvEnv({ DATABASE_URL: ctx.provisioned.databaseUrl }), timeoutMs: 120_000 }, what);
}

export const LIVED_IN: readonly Edit[] = [
  {
    what: '`uv add` Pillow (for the ImageField) and an ordinary dependency',
    run: async (ctx) => {
      await mustRun('uv', ['add', ...APP.packages], { cwd: ctx.project, env: ctx.baseEnv(), timeoutMs: 600_000 }, `uv add ${APP.packages.join(' ')}`);
    },
  },
  { what: '`manage.py startapp library`', run: async (ctx) => void (await manage(ctx, ['startapp', APP.label], 'manage.py startapp')) },
  {
    what: 'the app in INSTALLED_APPS, its AppConfig first, as the Django tutorial does',
    run: (ctx) => edit(ctx, 'config/settings/base.py', 'INSTALLED_APPS = [\n', 'INSTALLED_APPS = [\n    "library.apps.LibraryConfig",\n'),
  },
  { what: 'a model with an ImageField, a FileField and a ForeignKey to AUTH_USER_MODEL', run: (ctx) => write(ctx, 'library/models.py', MODELS) },
  { what: 'the model in the admin', run: (ctx) => write(ctx, 'library/admin.py', ADMIN) },
  {
    what: 'a login-required view, its template, wired into config/urls.py',
    run: (ctx) => {
      write(ctx, 'library/views.py', VIEWS);
      write(ctx, 'library/templates/library/my_books.html', TEMPLATE);
      write(ctx, 'library/urls.py', URLS);
      edit(ctx, 'config/urls.py', /^from django\.urls import path$/m, 'from django.urls import include, path');
      edit(ctx, 'config/urls.py', /^    path\(settings\.ADMIN_URL, admin\.site\.urls\),$/m, '    path(settings.ADMIN_URL, admin.site.urls),\n    path("library/", include("library.urls")),');
    },
  },
  { what: 'a Celery task with arguments', when: (c) => c.celery, run: (ctx) => write(ctx, 'library/tasks.py', TASKS) },
  {
    what: 'settings appended at the end of config/settings/base.py, the variable in .env.example',
    run: (ctx) => {
      append(ctx, 'config/settings/base.py', `\n# The library app.\nLOGIN_URL = "admin:login"\n${APP.setting} = env.int("${APP.setting}", default=20)\n`);
      append(ctx, '.env.example', `\n# Books listed per page on /library/.\n# Factor III.\n${APP.setting}=20\n`);
    },
  },
  {
    what: 'a process type of their own in the Procfile, and its command',
    run: (ctx) => {
      write(ctx, 'library/management/__init__.py', '');
      write(ctx, 'library/management/commands/__init__.py', '');
      write(ctx, 'library/management/commands/digest.py', DIGEST);
      append(ctx, 'Procfile', `${APP.process}: python manage.py digest\n`);
    },
  },
  { what: 'a test of the app, next to the project’s own', run: (ctx) => write(ctx, 'tests/test_library.py', TESTS) },
  { what: '`manage.py makemigrations`', run: async (ctx) => void (await manage(ctx, ['makemigrations'], 'manage.py makemigrations')) },
];

export const liveIn: Step = {
  id: 'live-in',
  title: 'a first week of work: uv add, startapp, a model, the admin, a view, a task, settings, makemigrations',
  after: ['sync', 'provision'],
  async run(ctx: Context) {
    for (const e of LIVED_IN) {
      if (e.when && !e.when(ctx.combo)) continue;
      try {
        await e.run(ctx);
      } catch (error) {
        if (error instanceof StepFailure) throw new StepFailure(`lived-in, ${e.what}: ${error.message}`, error.command, error.output);
        throw error;
      }
    }
    if (!ctx.exists('library/migrations/0001_initial.py')) throw new StepFailure('lived-in: makemigrations wrote no library/migrations/0001_initial.py');
  },
};
