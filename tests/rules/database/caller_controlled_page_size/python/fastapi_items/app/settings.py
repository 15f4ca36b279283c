import os

page_size = int(os.environ.get("PAGE_SIZE", "50"))
