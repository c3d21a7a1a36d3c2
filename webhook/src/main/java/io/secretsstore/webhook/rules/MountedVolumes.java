package io.secretsstore.webhook.rules;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The names of the volumes a pod's containers mount, asked whether a volume is among them. A pod
 * mounts a handful: they are kept in an array and searched, where a HashSet cost a table and a
 * node per name for every review; a pod that mounts more than {@link #LISTED} gets the HashSet,
 * so a search never grows with the pod. Read only once {@link PodView} has read the pod.
 */
final class MountedVolumes extends AbstractSet<String> {

  private static final int LISTED = 16;

  private String[] names = new String[4];
  private int size;
  /** All the names, once there are more than {@link #LISTED}; then {@code names} is unused. */
  private Set<String> many;

  /** Records that some container mounts {@code name}. */
  void mount(String name) {
    if (many != null) {
      many.add(name);
      return;
    }
    if (listed(name)) {
      return;
    }
    if (size == LISTED) {
      many = new HashSet<>(Arrays.asList(names).subList(0, size));
      many.add(name);
      names = null;
      return;
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, Math.min(LISTED, size * 2));
    }
    names[size++] = name;
  }

  private boolean listed(Object name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean contains(Object name) {
    return many != null ? many.contains(name) : listed(name);
  }

  @Override
  public int size() {
    return many != null ? many.size() : size;
  }

  @Override
  public Iterator<String> iterator() {
    return many != null
        ? Collections.unmodifiableSet(many).iterator()
        : Collections.unmodifiableList(Arrays.asList(names).subList(0, size)).iterator();
  }
}
