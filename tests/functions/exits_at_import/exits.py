import sys

print("exits: giving up while loading")
sys.exit(2)


def handler(event, context):
    return "never reached"
