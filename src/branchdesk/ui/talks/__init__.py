"""谈心谈话 page: talk list and form, coverage matrix, 民主评议, 组织生活会, settings tab."""
